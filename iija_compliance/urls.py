from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from notices import views as notice_views

admin.site.site_header = "DMCA desk"
admin.site.site_title = "DMCA desk"
admin.site.index_title = "Designated Agent"

urlpatterns = [
    path("", TemplateView.as_view(template_name="pages/home.html"), name="home"),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path(
        "copyright/", TemplateView.as_view(template_name="pages/copyright.html"), name="copyright"
    ),
    path("transparency/", notice_views.transparency, name="transparency"),
    path("transparency/report.csv", notice_views.transparency_csv, name="transparency_csv"),
    path("notices/", include("notices.urls")),
    path("counter-notices/", include("counternotices.urls")),
    path("admin/", admin.site.urls),
]
