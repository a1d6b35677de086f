"""All workforce-planning URLs: each views module keeps its own `urlpatterns`, joined here."""

from . import views_data, views_forecast

app_name = "workforce"

urlpatterns = [
    *views_data.urlpatterns,
    *views_forecast.urlpatterns,
]
