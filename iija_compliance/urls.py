from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from counternotices.views import hosted_removal_page
from notices.api import views as api
from notices.api.network import NetworkNoticeApi
from notices.public import views as notice_views

api_urls = [
    path("v1/notices/", api.NoticeCreateApi.as_view(), name="api-notice-create"),
    path("v1/notices/batch/", api.NoticeBatchApi.as_view(), name="api-notice-batch"),
    path("v1/notices/<str:reference>/", api.NoticeDetailApi.as_view(), name="api-notice-detail"),
    path("v1/network-notices/", NetworkNoticeApi.as_view(), name="api-network-notice"),
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="api-schema",
    ),
    path(
        "docs/",
        csp_exempt()(
            SpectacularSwaggerView.as_view(
                url_name="api-schema", authentication_classes=[], permission_classes=[AllowAny]
            )
        ),
        name="api-docs",
    ),
]

admin.site.site_header = "DMCA desk"
admin.site.site_title = "DMCA desk"
admin.site.index_title = "The desk"
# The desk's home page lists every part; the sidebar's width goes to the case list instead.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", TemplateView.as_view(template_name="pages/home.html"), name="home"),
    path(
        "privacy/",
        TemplateView.as_view(
            template_name="pages/privacy.html",
            extra_context={"retention_years": settings.RETENTION_YEARS},
        ),
        name="privacy",
    ),
    path(
        "copyright/", TemplateView.as_view(template_name="pages/copyright.html"), name="copyright"
    ),
    path("transparency/", notice_views.transparency, name="transparency"),
    path("transparency/report.csv", notice_views.transparency_csv, name="transparency_csv"),
    path("notices/", include("notices.public.urls")),
    path("counter-notices/", include("counternotices.urls")),
    path("removal-requests/<str:token>/", hosted_removal_page, name="hosted_removal_answer"),
    path("api/", include(api_urls)),
    path("admin/", admin.site.urls),
]
