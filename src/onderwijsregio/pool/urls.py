"""All pool URLs: each views module keeps its own `urlpatterns`, joined here."""

from . import (
    views_batches,
    views_dashboard,
    views_hours,
    views_members,
    views_offers,
    views_requests,
    views_settlement,
    views_setup,
)

app_name = "pool"

urlpatterns = [
    *views_setup.urlpatterns,
    *views_members.urlpatterns,
    *views_requests.urlpatterns,
    *views_batches.urlpatterns,
    *views_offers.urlpatterns,
    *views_hours.urlpatterns,
    *views_settlement.urlpatterns,
    *views_dashboard.urlpatterns,
]
