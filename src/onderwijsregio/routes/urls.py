"""Public pages about routes to a teaching qualification, included at the site root."""

from django.urls import path

from . import views

app_name = "routes"

urlpatterns = [
    path("routes", views.route_list, name="route_list"),
    # Before the detail pattern, so "check" is never taken for a route id.
    path("routes/check", views.check, name="check"),
    path("routes/<slug:route_id>", views.route_detail, name="route_detail"),
]
