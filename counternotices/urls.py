from django.urls import path

from . import views

urlpatterns = [
    path("new/<str:token>/", views.counter_notice_new, name="counter_notice_new"),
    path("court-action/<str:token>/", views.court_action_new, name="court_action_new"),
]
