from django.urls import path

from . import views

urlpatterns = [
    path("new/<str:token>/", views.counter_notice_new, name="counter_notice_new"),
]
