from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("new/", views.notice_new, name="new"),
    path("receipt/<str:token>/", views.notice_receipt, name="receipt"),
    path("status/<str:token>/", views.notice_status, name="status"),
    path("status/<str:token>/correct/", views.notice_revise_view, name="revise"),
    path("status/<str:token>/withdraw/", views.notice_withdraw_view, name="withdraw"),
]
