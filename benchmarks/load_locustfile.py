"""The simulated people of the load test (locust): staff, a pool member, candidates, visitors and writers.

Run by `benchmarks/load.py`, which sets up the database, the sessions and tokens (LOAD_FIXTURES, a JSON
file) and the server. Each simulated person has a session of their own that `load.py` created on the
server side, so nobody goes through the login form: 50 logins from one address would trip the login
lock-out and allauth's rate limit, which is their job. Every person also has an address of their own in
X-Forwarded-For, as behind the reverse proxy of a real installation (the server runs with
DJANGO_BEHIND_TLS_PROXY=true), so the desk's per-address limits (5 registrations an hour) count
per visitor, as they do in production.

Every request is classified by `load_stats.classify`: only the statuses a scenario expects are OK, a 412
from a concurrent If-Match write is counted apart, anything else is an error. The summary goes to the
file LOAD_SUMMARY when locust stops.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import sys
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_stats import ERROR, Recorder, classify

FIXTURES = json.loads(Path(os.environ["LOAD_FIXTURES"]).read_text()) if os.environ.get("LOAD_FIXTURES") else {}
RECORDER = Recorder()
STARTED = [time.monotonic()]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

_addresses = itertools.count(1)
_sessions = {role: itertools.cycle(keys) for role, keys in FIXTURES.get("sessions", {}).items()}


def next_address() -> str:
    """A client address of its own (10.x.y.z) for each simulated person or visit."""
    number = next(_addresses)
    return f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255 or 1}"


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html or "")
    return match.group(1) if match else ""


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    role = ""  # the key of FIXTURES["sessions"] whose session this person uses

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-For"] = next_address()
        if self.role:
            self.client.cookies.set("sessionid", next(_sessions[self.role]))

    def call(self, group, method, path, *, expect=(200,), conflict=(), **kwargs):
        """One request, timed and classified; redirects are not followed, so a lost session shows up."""
        if method == "POST":
            origin = self.host.rstrip("/")
            kwargs.setdefault("headers", {}).update({"Origin": origin, "Referer": origin + path})
        start = time.perf_counter()
        with self.client.request(
            method, path, name=group, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            elapsed_ms = (time.perf_counter() - start) * 1000
            status = response.status_code or 0
            outcome = classify(status, expect, conflict)
            RECORDER.record(group, outcome, elapsed_ms, status)
            if outcome == ERROR:
                response.failure(f"{method} {path}: status {status}")
            else:
                response.success()
        return response

    def api(self, group, method, path, *, who, **kwargs):
        headers = kwargs.pop("headers", {})
        headers["Authorization"] = f"Token {FIXTURES['tokens'][who]}"
        headers.setdefault("Accept", "application/json")
        return self.call(group, method, path, headers=headers, **kwargs)

    # --- scenarios shared by the readers and the writers -------------------------------------------------

    def register(self) -> None:
        """A new visitor in a new browser: the form, a filled-in registration, the thank-you page."""
        self.client.cookies.clear()
        self.client.headers["X-Forwarded-For"] = next_address()
        url = f"/loket/aanmelden?regio={FIXTURES['region_slug']}"
        form = self.call("public: registration form", "GET", url)
        if form.status_code != 200:
            return
        subjects = FIXTURES["subject_ids"]
        data = {
            "csrfmiddlewaretoken": csrf_token(form.text),
            "first_name": "Belasting",
            "last_name": f"Test {uuid.uuid4().hex[:6]}",
            "email": f"load-{uuid.uuid4().hex[:16]}@example.nl",
            "phone": "",
            "postcode": "3811AB",
            "preferred_language": "nl",
            "target_group": "side_entrant",
            "education_level": "wo_master",
            "education_field": "Econometrie",
            "diplomas": "Master Econometrie, 2015",
            "related_subjects": subjects[:1],
            "foreign_diploma_country": "",
            "foreign_diploma_recognition": "",
            "dutch_level": "C1",
            "target_sectors": ["VO"],
            "target_subjects": subjects[:1],
            "current_qualification": "",
            "current_work": "Data-analist",
            "hours_available": "24",
            "has_job_offer": "nee",
            "enrolled_teacher_training_recently": "nee",
            "consent_share_boards": "ja",
            "consent_share_institutes": "nee",
            "consent_share_other_region": "nee",
            "consent_retain_one_year": "ja",
            "website": "",  # the honeypot: people leave it empty
        }
        done = self.call("public: register (POST)", "POST", url, data=data, expect=(302,))
        if done.status_code == 302:
            self.call("public: registered page", "GET", done.headers["Location"])

    def note(self) -> None:
        """The regional team opens a candidate card and adds a note through the page's form."""
        pk = random.choice(FIXTURES["candidate_ids"])
        card = self.call("team: candidate card", "GET", f"/loket/kandidaten/{pk}")
        if card.status_code != 200:
            return
        data = {
            "csrfmiddlewaretoken": csrf_token(card.text),
            "notitie-text": f"Gebeld, belt terug ({uuid.uuid4().hex[:8]}).",
            "notitie-trajectory": "",
        }
        self.call("team: add note (POST)", "POST", f"/loket/kandidaten/{pk}/notities", data=data, expect=(302,))

    def api_patch(self) -> None:
        """An integration reads a record and changes it with If-Match; records are shared on purpose."""
        pk = random.choice(FIXTURES["hot_candidate_ids"])
        record = self.api("api: candidate (GET)", "GET", f"/api/v1/candidates/{pk}", who="regional_team")
        etag = record.headers.get("ETag", "")
        if record.status_code != 200 or not etag:
            return
        self.api(
            "api: candidate (PATCH If-Match)",
            "PATCH",
            f"/api/v1/candidates/{pk}",
            who="regional_team",
            headers={"If-Match": etag},
            json={"hoursAvailable": random.randint(8, 40)},
            conflict=(412,),
        )


# --- the PostgreSQL profile: 50 people over the main pages and the API --------------------------------


class RegionalTeam(Person):
    weight = 10
    role = "regional_team"

    @task(4)
    def worklist(self):
        self.call("team: working list", "GET", "/loket/kandidaten")

    @task(2)
    def funnel(self):
        self.call("team: funnel", "GET", "/loket/trechter")

    @task(3)
    def card(self):
        self.call("team: candidate card", "GET", f"/loket/kandidaten/{random.choice(FIXTURES['candidate_ids'])}")

    @task(1)
    def add_note(self):
        self.note()


class RegionalIntegration(Person):
    weight = 8

    @task(3)
    def candidate_list(self):
        self.api("api: candidates (list)", "GET", "/api/v1/candidates?pageSize=20", who="regional_team")

    @task(3)
    def patch(self):
        self.api_patch()


class BoardHr(Person):
    weight = 8
    role = "board_hr"

    @task(3)
    def inbox(self):
        self.call("board: inbox", "GET", "/loket/inbox")

    @task(2)
    def pool(self):
        self.call("board: pool", "GET", f"/invalpool/{FIXTURES['pool_slug']}/")

    @task(2)
    def requests(self):
        self.call("board: pool requests", "GET", f"/invalpool/{FIXTURES['pool_slug']}/aanvragen/")

    @task(1)
    def members(self):
        self.call("board: pool members", "GET", f"/invalpool/{FIXTURES['pool_slug']}/leden/")

    @task(1)
    def requests_api(self):
        self.api("api: replacement requests", "GET", "/api/v1/replacement-requests", who="board_hr")


class PoolMember(Person):
    weight = 5
    role = "pool_member"

    @task(3)
    def my_work(self):
        self.call("pool member: my work", "GET", "/invalpool/mijn-werk/")

    @task(1)
    def offers(self):
        self.call("pool member: offers (API)", "GET", "/api/v1/offers", headers={"Accept": "application/json"})


class Candidate(Person):
    weight = 9
    role = "candidate"

    @task(3)
    def my_record(self):
        self.call("candidate: own record", "GET", "/loket/mijn-gegevens")

    @task(1)
    def my_consents(self):
        self.call("candidate: consents", "GET", "/loket/mijn-gegevens/toestemming")


class Visitor(Person):
    weight = 10

    @task(2)
    def desk_home(self):
        self.call("public: desk home", "GET", f"/loket?regio={FIXTURES['region_slug']}")

    @task(1)
    def registration(self):
        self.register()


# --- the SQLite profile: 10 writers and a few readers ------------------------------------------------


class Writer(Person):
    abstract = True
    wait_time = between(0.2, 1.0)


class RegistrationWriter(Writer):
    fixed_count = 4

    @task
    def registration(self):
        self.register()


class NoteWriter(Writer):
    fixed_count = 3
    role = "regional_team"

    @task
    def add_note(self):
        self.note()


class ApiWriter(Writer):
    fixed_count = 3

    @task
    def patch(self):
        self.api_patch()


class Reader(RegionalTeam):
    fixed_count = 3


@events.test_start.add_listener
def _started(**_kwargs) -> None:
    STARTED[0] = time.monotonic()


@events.quitting.add_listener
def _write_summary(environment, **_kwargs) -> None:
    users = int(getattr(environment.parsed_options, "num_users", 0) or 0)
    lines = RECORDER.summary(
        profile=os.environ.get("LOAD_PROFILE", ""), duration_s=time.monotonic() - STARTED[0], users=users
    )
    if os.environ.get("LOAD_SUMMARY"):
        Path(os.environ["LOAD_SUMMARY"]).write_text("".join(json.dumps(line) + "\n" for line in lines))
    if RECORDER.errors:
        environment.process_exit_code = 1
