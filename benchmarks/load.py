"""Load test: the platform served as in production, under many simultaneous users, with zero errors.

    python benchmarks/load.py --profile sqlite                 # 10 writers + 3 readers, 45 s, SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        python benchmarks/load.py --profile postgres           # 50 users, 60 s, a fresh PostgreSQL database

Steps: a throw-away database (a SQLite file in a temporary directory, or a new PostgreSQL database
`onderwijsregio_load_<pid>` on the server of DATABASE_URL, dropped afterwards), `migrate` and the demo
(`load_demo`, `load_demo_candidates`, `load_demo_pool`); then sessions and API tokens for the simulated
people, made on the server side (`--prepare`); then gunicorn on a free port of 127.0.0.1 (as the operator
guide's unit, in reverse-proxy mode) and the task worker; then locust, headless, with the profile's
people (`load_locustfile.py`). It prints JSON lines on stdout: one per request group and one `overall`
with p50/p95 in milliseconds, the request count, the 412s of concurrent If-Match writes (expected,
counted apart) and the errors. Errors are unexpected statuses (every 5xx, 429, unexpected 4xx),
requests without an answer, tracebacks in the server's log and failed background tasks. It exits 1 when
there was any error.

With `--url` it loads a server that is already running instead; that server must use the database this
environment points to (the sessions are written there), have the demo loaded, and run with
DJANGO_BEHIND_TLS_PROXY=true. The load test writes registrations, notes and record changes: never point
it at a production installation.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent

PROFILES = {
    "postgres": {
        "users": 50,
        "duration": 60,
        "gunicorn": ["--workers", "3"],  # as the operator guide's unit
        # the people of load_locustfile.py, in proportion to their `weight`
        "classes": ["RegionalTeam", "RegionalIntegration", "BoardHr", "PoolMember", "Candidate", "Visitor"],
    },
    "sqlite": {
        "users": 13,  # the `fixed_count`s: 10 writers, 3 readers
        "duration": 45,
        # Threads as well as processes: more simultaneous writers on the one SQLite file.
        "gunicorn": ["--workers", "2", "--threads", "4"],
        "classes": ["RegistrationWriter", "NoteWriter", "ApiWriter", "Reader"],
    },
}
SESSIONS_PER_ROLE = 60


def log(message: str) -> None:
    print(f"[load] {message}", file=sys.stderr, flush=True)


# --- inside Django (a child process, so the locust process never imports Django) ----------------------


def _django():
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onderwijsregio.conf.settings")
    import django

    django.setup()


def prepare(out: Path) -> None:
    """Sessions (as a login would leave them) and API tokens for the simulated people, and the ids they use."""
    _django()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.core.exceptions import ValidationError

    from onderwijsregio.accounts.services import api_token_replace
    from onderwijsregio.loket import selectors
    from onderwijsregio.loket.models import Candidate
    from onderwijsregio.loket.services import candidate_login_account
    from onderwijsregio.organisations.models import Subject
    from onderwijsregio.pool.models import Pool

    store = import_module(settings.SESSION_ENGINE).SessionStore
    users = get_user_model().objects

    def session_for(user) -> str:
        session = store()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    team = users.get(email="regioteam@demo.onderwijsregio.nl")
    hr = users.get(email="hr-40180@demo.onderwijsregio.nl")
    member = users.get(email="poollid@demo.onderwijsregio.nl")
    region = team.memberships.filter(ended_at__isnull=True).get().organisation
    visible = list(selectors.visible_candidates(user=team).order_by("pk").values_list("pk", flat=True))

    candidate_sessions = []
    for candidate in Candidate.objects.filter(region=region, merged_into__isnull=True).order_by("-pk")[:30]:
        try:
            candidate_sessions.append(session_for(candidate_login_account(candidate=candidate)))
        except ValidationError:  # an address that belongs to a staff account: no candidate login
            continue

    fixtures = {
        "region_slug": region.slug,
        "pool_slug": Pool.objects.order_by("pk").values_list("slug", flat=True).first(),
        "subject_ids": list(Subject.objects.order_by("name").values_list("pk", flat=True)[:2]),
        "candidate_ids": visible,
        # Few records for the API writers, so that concurrent If-Match writes to one record do happen.
        "hot_candidate_ids": visible[:5],
        "sessions": {
            "regional_team": [session_for(team) for _ in range(SESSIONS_PER_ROLE)],
            "board_hr": [session_for(hr) for _ in range(SESSIONS_PER_ROLE)],
            "pool_member": [session_for(member) for _ in range(SESSIONS_PER_ROLE)],
            "candidate": candidate_sessions,
        },
        "tokens": {"regional_team": api_token_replace(user=team).key, "board_hr": api_token_replace(user=hr).key},
    }
    if not (visible and candidate_sessions and fixtures["pool_slug"] and fixtures["subject_ids"]):
        raise SystemExit("The demo is incomplete: load_demo, load_demo_candidates and load_demo_pool must have run.")
    out.write_text(json.dumps(fixtures))


def task_report(out: Path) -> None:
    """How the background tasks queued during the run ended (the worker sends every email)."""
    _django()
    from django_tasks_db.models import DBTaskResult

    counts = {}
    for status in DBTaskResult.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    out.write_text(json.dumps(counts))


# --- outside Django: database, server, worker, locust ------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, logfile: Path, *args: str) -> None:
    with logfile.open("a") as output:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=output, stderr=output, check=True)


def child(env: dict, logfile: Path, *args: str) -> None:
    with logfile.open("a") as output:
        subprocess.run([PYTHON, __file__, *args], cwd=ROOT, env=env, stdout=output, stderr=output, check=True)


class PostgresDatabase:
    """A new, empty database next to the one DATABASE_URL names; dropped again at the end."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.name = f"onderwijsregio_load_{os.getpid()}"
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        self.admin_url = urlunsplit(parts._replace(path="/postgres"))
        self.created = False

    def _execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql)

    def create(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}"')
        self._execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self) -> None:
        if self.created:
            self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The server stopped at start-up (exit {process.returncode}).")
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as response:  # noqa: S310 (our own http://127.0.0.1)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"The server did not answer within {seconds:.0f} s.")


def stop(process: subprocess.Popen | None, sig: int, seconds: float = 20) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_log_problems(path: Path) -> list[str]:
    """Lines of the server's log that mean a request failed on the server: a traceback or a killed worker."""
    if not path.exists():
        return []
    # Not "Worker exiting": gunicorn says that at every orderly stop too.
    markers = ("Traceback (most recent call last)", "WORKER TIMEOUT", "[ERROR]", "[CRITICAL]", "Internal Server Error")
    return [line.rstrip() for line in path.read_text(errors="replace").splitlines() if any(m in line for m in markers)]


def _terminated(_signal, _frame) -> None:
    # `timeout` in CI sends SIGTERM: leave through the finally blocks, which stop the server and the
    # worker and drop the database, instead of dying on the spot and leaving them behind.
    raise SystemExit(124)


def run(args) -> int:
    signal.signal(signal.SIGTERM, _terminated)
    profile = PROFILES[args.profile]
    users = args.users or profile["users"]
    duration = args.duration or profile["duration"]
    work = Path(tempfile.mkdtemp(prefix="onderwijsregio-load-"))
    setup_log, server_log, worker_log, locust_log = (work / f"{n}.log" for n in ("setup", "server", "worker", "locust"))
    env = dict(os.environ)
    database = None
    server = worker = None
    if not args.url:
        env.update(
            {
                "ONDERWIJSREGIO_VAR_DIR": str(work / "var"),
                "DJANGO_DEBUG": "false",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                # As behind the reverse proxy of an installation: the client address is the forwarded one.
                "DJANGO_BEHIND_TLS_PROXY": "true",
                "TRUSTED_PROXY_COUNT": "1",
                "LOG_LEVEL": "WARNING",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            }
        )
        if args.profile == "postgres":
            if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
                raise SystemExit("--profile postgres needs DATABASE_URL=postgres://user@host:port/any-database")
            database = PostgresDatabase(os.environ["DATABASE_URL"])
            env["DATABASE_URL"] = database.url
        else:
            env.pop("DATABASE_URL", None)
    fixtures, summary = work / "fixtures.json", work / "summary.jsonl"
    try:
        if database is not None:
            database.create()
        if not args.url:
            log(f"{args.profile}: migrate and load the demo (log: {setup_log})")
            started = time.monotonic()
            manage(env, setup_log, "migrate", "--noinput")
            manage(env, setup_log, "load_demo", "--if-empty")
            manage(env, setup_log, "load_demo_candidates")
            manage(env, setup_log, "load_demo_pool")
            log(f"demo loaded in {time.monotonic() - started:.0f} s")
        child(env, setup_log, "--prepare", str(fixtures))

        url = args.url.rstrip("/") if args.url else ""
        if not url:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            with worker_log.open("w") as output:
                worker = subprocess.Popen(
                    [PYTHON, "manage.py", "db_worker", "--interval", "1", "--no-reload"],
                    cwd=ROOT,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            with server_log.open("w") as output:
                server = subprocess.Popen(
                    [str(BIN / "gunicorn"), "--pythonpath", "src", "--bind", f"127.0.0.1:{port}"]
                    + profile["gunicorn"]
                    + ["--timeout", "30", "onderwijsregio.conf.wsgi"],
                    cwd=ROOT,
                    env=env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            wait_until_up(url, server)
        log(f"{args.profile}: {users} users for {duration} s against {url}")
        locust_env = {
            **env,
            "LOAD_FIXTURES": str(fixtures),
            "LOAD_SUMMARY": str(summary),
            "LOAD_PROFILE": args.profile,
        }
        with locust_log.open("w") as output:
            subprocess.run(
                [PYTHON, "-m", "locust", "-f", str(HERE / "load_locustfile.py"), "--headless", "--only-summary"]
                + ["--users", str(users), "--spawn-rate", str(max(1, users // 5)), "--run-time", f"{duration}s"]
                + ["--stop-timeout", "10", "--host", url, "--loglevel", "WARNING"]
                + profile["classes"],
                cwd=ROOT,
                env=locust_env,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=duration + 120,
                check=False,
            )
        stop(server, signal.SIGTERM)
        server = None
        tasks = drain_tasks(env, setup_log, work, worker)
        stop(worker, signal.SIGINT)
        worker = None
        return report(args, summary, locust_log, server_log, tasks)
    except subprocess.CalledProcessError as error:
        # A set-up step failed: show why before the working directory (and its logs) goes.
        log(f"{' '.join(error.cmd[1:])} failed (exit {error.returncode}); the end of {setup_log}:")
        print(setup_log.read_text(errors="replace")[-5000:] if setup_log.exists() else "", file=sys.stderr)
        return 1
    finally:
        stop(server, signal.SIGTERM)
        stop(worker, signal.SIGINT)
        try:
            if database is not None:
                database.drop()
        finally:
            if args.keep:
                log(f"kept {work}")
            else:
                shutil.rmtree(work, ignore_errors=True)


def drain_tasks(env: dict, logfile: Path, work: Path, worker) -> dict:
    """Give the worker up to 30 s to finish what the run queued (confirmation emails), then count."""
    out = work / "tasks.json"
    deadline = time.monotonic() + 30
    while True:
        child(env, logfile, "--task-report", str(out))
        counts = json.loads(out.read_text())
        idle = not counts.get("READY") and not counts.get("RUNNING")
        if worker is None or idle or time.monotonic() > deadline:
            return counts
        time.sleep(2)


def report(args, summary: Path, locust_log: Path, server_log: Path, tasks: dict) -> int:
    if not summary.exists():
        log("locust wrote no summary; its log:")
        print(locust_log.read_text(errors="replace")[-5000:], file=sys.stderr)
        return 1
    lines = [json.loads(line) for line in summary.read_text().splitlines() if line.strip()]
    overall = lines[-1]
    problems = server_log_problems(server_log)
    failed_tasks = tasks.get("FAILED", 0)
    overall["server_log_errors"] = len(problems)
    overall["tasks"] = tasks
    overall["errors"] += len(problems) + failed_tasks + (tasks.get("READY", 0) if not args.url else 0)
    overall["passed"] = overall["passed"] and overall["errors"] == 0
    for line in lines:
        print(json.dumps(line, ensure_ascii=False), flush=True)
    if problems:
        log("server log:\n" + "\n".join(problems[:20]))
    if not overall["passed"]:
        log(f"FAILED; locust's log ({locust_log}):")
        print(locust_log.read_text(errors="replace")[-5000:], file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="sqlite")
    parser.add_argument("--users", type=int, help="number of simulated people (default: the profile's)")
    parser.add_argument("--duration", type=int, help="seconds of load (default: the profile's)")
    parser.add_argument("--url", help="load a running server instead of starting one (never production)")
    parser.add_argument("--keep", action="store_true", help="keep the working directory with the logs")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--task-report", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        prepare(args.prepare)
        return 0
    if args.task_report:
        task_report(args.task_report)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
