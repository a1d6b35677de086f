"""The URL table of /api/v1/: plural kebab-case resources, no trailing slashes (NL API Design Rules).

Each domain app keeps its serializers and viewsets in its own `api.py`; this table only wires them.
The last pattern catches everything else under /api/v1/, including known paths with a trailing
slash, so that they answer a 404 problem instead of a redirect or an HTML page.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView
from rest_framework.routers import SimpleRouter

from onderwijsregio.accounts import api as accounts_api
from onderwijsregio.api.base import not_found
from onderwijsregio.loket import api as loket_api
from onderwijsregio.organisations import api as organisations_api
from onderwijsregio.pool import api as pool_api

app_name = "api"

router = SimpleRouter(trailing_slash=False)

# organisations and reference data
router.register("labour-market-regions", organisations_api.LabourMarketRegionViewSet, basename="labour-market-region")
router.register("municipalities", organisations_api.MunicipalityViewSet, basename="municipality")
router.register("postcode-areas", organisations_api.PostcodeAreaViewSet, basename="postcode-area")
router.register("regions", organisations_api.RegionViewSet, basename="region")
router.register("organisations", organisations_api.OrganisationViewSet, basename="organisation")
router.register("school-locations", organisations_api.SchoolLocationViewSet, basename="school-location")

# accounts, the audit log and jobs
router.register("memberships", accounts_api.MembershipViewSet, basename="membership")
router.register("audit-events", accounts_api.AuditEventViewSet, basename="audit-event")
router.register("jobs", accounts_api.JobViewSet, basename="job")

# the candidate desk
router.register("candidates", loket_api.CandidateViewSet, basename="candidate")
router.register("trajectories", loket_api.TrajectoryViewSet, basename="trajectory")
router.register("handovers", loket_api.HandoverViewSet, basename="handover")

# the substitute pool
router.register("replacement-requests", pool_api.ReplacementRequestViewSet, basename="replacement-request")
router.register("offers", pool_api.OfferViewSet, basename="offer")
router.register("assignments", pool_api.AssignmentViewSet, basename="assignment")

urlpatterns = [
    path("openapi.yaml", SpectacularYAMLAPIView.as_view(), name="openapi-yaml"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi-json"),
    # organisations
    path("distances", organisations_api.DistanceView.as_view(), name="distances"),
    # accounts
    path("users/me", accounts_api.CurrentUserView.as_view(), name="users-me"),
    *router.urls,
    re_path(r"^.*$", not_found, name="not-found"),
]
