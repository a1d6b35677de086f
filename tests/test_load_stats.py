"""The pass/fail rules of the load test (benchmarks/load_stats.py), without running a load."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from benchmarks.load import PROFILES
from benchmarks.load_stats import CONFLICT, ERROR, OK, Recorder, classify, percentile

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(200, OK), (412, CONFLICT), (0, ERROR), (500, ERROR), (502, ERROR), (429, ERROR), (403, ERROR), (302, ERROR)],
)
def test_only_expected_statuses_pass_and_a_stale_write_is_a_conflict(status, outcome):
    assert classify(status, expected=(200,), conflict=(412,)) == outcome


def test_a_412_where_no_concurrent_write_was_expected_is_an_error():
    assert classify(412, expected=(200,)) == ERROR


def test_percentile_is_a_measured_value_by_nearest_rank():
    samples = [float(value) for value in range(1, 101)]  # 1 … 100
    assert percentile(samples, 0.50) == 50.0
    assert percentile(samples, 0.95) == 95.0
    assert percentile([7.0, 3.0], 0.95) == 7.0
    assert percentile([], 0.5) == 0.0


def test_summary_counts_conflicts_apart_and_fails_on_any_error():
    recorder = Recorder()
    for elapsed in (10.0, 20.0, 30.0):
        recorder.record("team: working list", OK, elapsed, 200)
    recorder.record("api: patch", CONFLICT, 40.0, 412)
    clean = recorder.summary(profile="sqlite", duration_s=2.0, users=3)
    assert [line["group"] for line in clean] == ["api: patch", "team: working list", "overall"]
    overall = clean[-1]
    assert (overall["requests"], overall["conflicts_412"], overall["errors"]) == (4, 1, 0)
    assert (overall["p50_ms"], overall["p95_ms"], overall["requests_per_s"]) == (20.0, 40.0, 2.0)
    assert overall["passed"] is True

    recorder.record("api: patch", ERROR, 5.0, 502)
    recorder.record("api: patch", ERROR, 5.0, 0)
    failed = recorder.summary(profile="sqlite", duration_s=2.0, users=3)
    assert failed[0]["errors"] == 2 and failed[0]["error_statuses"] == {"0": 1, "502": 1}
    assert failed[-1]["errors"] == 2 and failed[-1]["passed"] is False


def test_an_empty_run_does_not_pass():
    assert Recorder().summary(profile="postgres", duration_s=60.0, users=50)[-1]["passed"] is False


def test_every_profile_names_people_the_locustfile_defines():
    # Read, not imported: importing locust would patch this test process with gevent.
    tree = ast.parse((BENCHMARKS / "load_locustfile.py").read_text())
    defined = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    for profile in PROFILES.values():
        assert set(profile["classes"]) <= defined
