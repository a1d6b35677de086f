"""The case table (cases.py) against the shipped rules: every intake gets exactly the expected advice."""

from __future__ import annotations

import pytest

from onderwijsregio.routes.engine import Status, default_offers, default_ruleset

from .cases import CASES, case_problems


def test_the_table_is_large_and_names_are_unique():
    assert len(CASES) >= 40
    assert len({item.name for item in CASES}) == len(CASES)


def test_every_route_fits_someone_and_every_route_is_refused_to_someone():
    # A route no case can reach (or no case is refused) would be unguarded by the table.
    ruleset = default_ruleset()
    reached = set().union(*(item.fits | item.fits_after for item in CASES))
    assert reached == set(ruleset.route_ids)
    refused = set()
    for item in CASES:
        refused |= set(ruleset.route_ids) - item.fits - item.fits_after
    assert refused == set(ruleset.route_ids)


def test_every_phrase_names_a_route_of_the_rules():
    ids = set(default_ruleset().route_ids)
    for item in CASES:
        assert set(item.phrases) <= ids, item.name
        assert set(item.subsidies) <= ids, item.name


@pytest.mark.parametrize("item", CASES, ids=[item.name for item in CASES])
def test_case_gets_the_expected_advice(item):
    assert case_problems(item, default_ruleset(), default_offers()) == []


def test_statuses_in_the_table_are_mutually_exclusive():
    for item in CASES:
        assert not (item.fits & item.fits_after), item.name


def test_refused_routes_explain_why_in_dutch():
    # Spot check of the brief's example sentence, word for word.
    item = next(item for item in CASES if item.name.startswith("zij-instromer met niet-verwante wo-master"))
    from onderwijsregio.routes.engine import CandidateProfile, advise

    advice = advise(CandidateProfile(**item.profile), default_ruleset())
    entry = advice.for_route("zij-instroom-vo")
    assert entry.status is Status.DOES_NOT_FIT
    assert (
        "Voor zij-instroom in wiskunde in het vo heb je een verwant hbo- of wo-diploma nodig; "
        "jouw studie (Rechten) is niet verwant aan wiskunde." in [req.text for req in entry.missing]
    )
