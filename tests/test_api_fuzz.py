"""Every API operation fuzzed against the OpenAPI document the API serves (schemathesis, issue 10).

Schemathesis reads `/api/v1/openapi.json` from the WSGI application itself (no server, no network)
and, per operation, generates valid and invalid requests from the document: query parameters,
path ids, bodies. Each request is sent with the token of a regional team and with that of a
board's HR (a 401 without a token is tested per resource in api/tests), and each answer must

- not be a server error (`not_a_server_error`),
- have a status code the document lists for the operation (`status_code_conformance`),
- have a documented content type (`content_type_conformance`), so errors are problem+json,
- match the documented body (`response_schema_conformance`).

The run is bounded and repeatable: a fixed seed, deterministic generation, the coverage phase
(boundary values such as an id one above the documented maximum) plus at most `MAX_EXAMPLES`
fuzzed cases per operation, and no example database. Each operation is one pytest test in one
database transaction, and every request runs in a savepoint that is rolled back, so writes the
fuzzer makes (a membership, a candidate) never reach the next request.
"""

from __future__ import annotations

from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from onderwijsregio.accounts.models import Role
from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
from onderwijsregio.loket.tests.factories import TrajectoryFactory
from onderwijsregio.organisations.tests.factories import (
    BoardFactory,
    RegionFactory,
    RegionMemberFactory,
    SchoolLocationFactory,
)
from onderwijsregio.pool.tests.factories import PoolBoardFactory, PoolFactory, ReplacementRequestFactory

# With the coverage phase, enough to reach every parameter and body field of every operation while
# the whole file stays under about two minutes on SQLite with two cores.
MAX_EXAMPLES = 15
SEED = 20261207

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        # Stateful runs (chains of calls through OpenAPI links) need links the document does not have.
        "phases": {"stateful": {"enabled": False}},
    }
)

pytestmark = pytest.mark.fuzz

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through Django's real WSGI handler, which closes the database connection after each one.

    That would close the test's own connection (and its transaction) on PostgreSQL; Django's test client
    switches the same signal handlers off for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_tokens(db) -> dict[str, str]:
    """A small region with data in every resource, and a token per role."""
    region = RegionFactory(name="Onderwijsregio Fuzz")
    board = BoardFactory(name="Stichting Fuzz")
    RegionMemberFactory(region=region, member=board)
    location = SchoolLocationFactory(board=board)
    team = UserFactory(email="team@fuzz.example.nl")
    hr = UserFactory(email="hr@fuzz.example.nl")
    MembershipFactory(user=team, organisation=region, role=Role.REGIONAL_TEAM)
    MembershipFactory(user=hr, organisation=board, role=Role.BOARD_HR)
    TrajectoryFactory(candidate__region=region)
    pool = PoolFactory(region=region)
    PoolBoardFactory(pool=pool, board=board)
    ReplacementRequestFactory(pool=pool, school_location=location, start_date=date(2030, 1, 7))
    return {
        "regional team": Token.objects.create(user=team).key,
        "board HR": Token.objects.create(user=hr).key,
    }


# Loaded once, at collection, from the application itself: the document the API serves is the one
# that is tested (that the committed docs/openapi.yaml equals it is api/tests/test_openapi.py's job).
# The document is generated without touching the database. The application is Django's own WSGI
# handler, as conf/wsgi.py serves it (minus that module's production secret-key guard).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG)


@schema.parametrize()
# The data fixture is shared by an operation's examples on purpose: every request runs in a savepoint
# that is rolled back, so no example sees what an earlier one wrote.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_answers_every_generated_request_as_documented(case, api_tokens):
    for token in api_tokens.values():
        headers = {"Authorization": f"Token {token}"}
        # A savepoint per request: a write one role's request made must not change what the next one
        # sees, and an example must not leave a half-written record for the next example.
        with transaction.atomic():
            case.call_and_validate(headers=headers, checks=CHECKS)
            transaction.set_rollback(True)
