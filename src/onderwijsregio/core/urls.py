from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("over", views.about, name="about"),
    path("toegankelijkheid", views.accessibility, name="accessibility"),
    path("taken/<uuid:pk>", views.job_detail, name="job_detail"),
    path("taken/<uuid:pk>/voortgang", views.job_progress, name="job_progress"),
]
