"""All loket URLs: each views module keeps its own `urlpatterns`, joined here."""

from . import views_candidate, views_funnel, views_public, views_staff

app_name = "loket"

urlpatterns = [
    *views_public.urlpatterns,
    *views_candidate.urlpatterns,
    *views_staff.urlpatterns,
    *views_funnel.urlpatterns,
]
