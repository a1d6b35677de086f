"""Routes of /api/v1/: plural kebab-case resources, no trailing slashes (NL API Design Rules).

The last pattern catches everything else under /api/v1/, including known paths with a trailing
slash, so that they answer a 404 problem instead of a redirect or an HTML page.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView
from rest_framework.routers import SimpleRouter

from . import loket, pool, views

app_name = "api"

router = SimpleRouter(trailing_slash=False)
router.register("labour-market-regions", views.LabourMarketRegionViewSet, basename="labour-market-region")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("postcode-areas", views.PostcodeAreaViewSet, basename="postcode-area")
router.register("regions", views.RegionViewSet, basename="region")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("school-locations", views.SchoolLocationViewSet, basename="school-location")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("audit-events", views.AuditEventViewSet, basename="audit-event")
router.register("jobs", views.JobViewSet, basename="job")
router.register("candidates", loket.CandidateViewSet, basename="candidate")
router.register("trajectories", loket.TrajectoryViewSet, basename="trajectory")
router.register("handovers", loket.HandoverViewSet, basename="handover")
router.register("replacement-requests", pool.ReplacementRequestViewSet, basename="replacement-request")
router.register("offers", pool.OfferViewSet, basename="offer")
router.register("assignments", pool.AssignmentViewSet, basename="assignment")

urlpatterns = [
    path("openapi.yaml", SpectacularYAMLAPIView.as_view(), name="openapi-yaml"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-json"),
    path("distances", views.DistanceView.as_view(), name="distances"),
    path("users/me", views.CurrentUserView.as_view(), name="users-me"),
    *router.urls,
    re_path(r"^.*$", views.not_found, name="not-found"),
]
