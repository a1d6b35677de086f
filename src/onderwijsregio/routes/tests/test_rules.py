"""The rules file as data: the shipped files validate, bad files are refused with the route and
field named, and a rule change is a data edit that the case table notices."""

from __future__ import annotations

import copy
import json

import pytest

from onderwijsregio.routes.engine import (
    CandidateProfile,
    RulesError,
    Status,
    advise,
    default_ruleset,
    load_offers,
    load_ruleset,
    parse_offers,
    parse_ruleset,
)
from onderwijsregio.routes.engine.rules import DEFAULT_OFFERS, DEFAULT_RULES

from .cases import CASES, case_problems

RAW = json.loads(DEFAULT_RULES.read_text(encoding="utf-8"))


def edited(edit) -> dict:
    data = copy.deepcopy(RAW)
    edit(data)
    return data


def route_of(data: dict, route_id: str) -> dict:
    return next(route for route in data["routes"] if route["id"] == route_id)


def problems_of(data: dict) -> list[str]:
    with pytest.raises(RulesError) as caught:
        parse_ruleset(data, origin="test.json")
    return caught.value.problems


def test_the_shipped_rules_cover_the_routes_the_region_needs():
    ruleset = default_ruleset()
    required = {
        "lerarenopleiding-voltijd", "lerarenopleiding-deeltijd", "lerarenopleiding-duaal",
        "pabo-voltijd", "pabo-verkort", "kopopleiding", "educatieve-minor", "educatieve-master",
        "ulo-eenjarig", "hbo-master-leraar", "zij-instroom-po", "zij-instroom-vo",
        "zij-instroom-vmbo-beroepsgericht", "zij-instroom-mbo", "pdg-mbo", "ad-pep", "onderwijsassistent",
        "duo-erkenning", "schakeltraject-statushouders", "tweede-bevoegdheid",
    }  # fmt: skip
    assert required <= set(ruleset.route_ids)
    for route in ruleset.routes:
        assert route.sources, route.id
        assert all(source.url and source.date for source in route.sources), route.id
        assert route.scope.text, route.id
    assert ruleset.subsidies["zij-instroom"].amount_max_eur == 25000
    assert ruleset.subsidies["onderwijsassistent-naar-leraar-po"].amount_max_eur == 20000
    assert ruleset.route("duo-erkenning").cost.max_eur == 0


def test_the_shipped_offers_name_known_routes_and_institutes():
    offers = load_offers(DEFAULT_OFFERS, default_ruleset())
    names = {institute.name for institutes in offers.values() for institute in institutes}
    assert names == {
        "Hogeschool Utrecht",
        "Universiteit Utrecht, Graduate School of Teaching",
        "Marnix Academie (pabo)",
        "Christelijke Hogeschool Ede",
    }


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: route_of(d, "kopopleiding")["duration_months"].update(min=30),
            "route 'kopopleiding' (routes[6]), duration_months: need 0 <= min <= max, got min 30 and max 24",
        ),
        (
            lambda d: route_of(d, "kopopleiding")["conditions"][0].update(check="has_degree"),
            "route 'kopopleiding' (routes[6]), conditions[0] ('diploma'): unknown check 'has_degree'",
        ),
        (
            lambda d: route_of(d, "kopopleiding")["conditions"][0].update(level="master"),
            "route 'kopopleiding' (routes[6]), conditions[0] ('diploma'), level: unknown value 'master'",
        ),
        (
            lambda d: route_of(d, "zij-instroom-vo")["conditions"][1].update(missing="Niet verwant aan {vak}."),
            "route 'zij-instroom-vo' (routes[12]), conditions[1] ('verwant'), missing: unknown placeholder {vak}",
        ),
        (
            lambda d: route_of(d, "zij-instroom-vo")["subsidies"].append("lerarenbeurs-plus"),
            "route 'zij-instroom-vo' (routes[12]), subsidies: unknown subsidy 'lerarenbeurs-plus'",
        ),
        (
            lambda d: route_of(d, "pdg-mbo").pop("sources"),
            "route 'pdg-mbo' (routes[16]): field 'sources' is missing: every rule needs its source",
        ),
        (
            lambda d: route_of(d, "pdg-mbo").update(result="third_degree"),
            "route 'pdg-mbo' (routes[16]), result: unknown value 'third_degree'",
        ),
        (
            lambda d: route_of(d, "pdg-mbo")["conditions"][3].update(hours="zestien"),
            "route 'pdg-mbo' (routes[16]), conditions[3] ('omvang'), hours: must be a whole number",
        ),
        (
            lambda d: route_of(d, "educatieve-minor")["conditions"][1].pop("ec"),
            "route 'educatieve-minor' (routes[7]), conditions[1] ('ec'): check 'study_ec_at_least' needs parameter 'ec'",
        ),
        (
            lambda d: route_of(d, "ad-pep")["conditions"][0].update(met="Je hebt {required}."),
            "route 'ad-pep' (routes[17]), conditions[0] ('vooropleiding'), met: placeholder {required} has no value here",
        ),
        (
            lambda d: d["routes"].append(copy.deepcopy(d["routes"][0])),
            "route 'lerarenopleiding-voltijd' (routes[23]): route id 'lerarenopleiding-voltijd' is used twice",
        ),
        (
            lambda d: route_of(d, "kopopleiding")["conditions"][1].pop("label"),
            "route 'kopopleiding' (routes[6]), conditions[1] ('verwant'): field 'label' is missing",
        ),
        (
            lambda d: route_of(d, "kopopleiding")["conditions"][1].update(met="Verwant aan {subjects"),
            "route 'kopopleiding' (routes[6]), conditions[1] ('verwant'), met: cannot read the template",
        ),
        (lambda d: d["labels"]["sector"].pop("MBO"), "labels, sector: no Dutch label for 'MBO'"),
        (lambda d: d.pop("version"), "top level: field 'version' is missing"),
    ],
)
def test_a_bad_rules_file_names_the_route_and_field(edit, expected):
    problems = problems_of(edited(edit))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_every_problem_is_reported_at_once():
    def edit(data):
        route_of(data, "kopopleiding")["duration_months"]["max"] = 1
        route_of(data, "pabo-verkort")["cost_eur"]["min"] = -5

    problems = problems_of(edited(edit))
    assert len(problems) == 2
    # In file order: pabo-verkort comes before kopopleiding.
    assert "pabo-verkort" in problems[0] and "kopopleiding" in problems[1]


def test_a_file_that_is_not_json_is_refused_with_the_position(tmp_path):
    path = tmp_path / "routes-kapot.json"
    path.write_text('{"version": "x",\n  "routes": [,]}', encoding="utf-8")
    with pytest.raises(RulesError, match=r"routes-kapot.json: 1 problem\(s\)\n- not valid JSON: line 2"):
        load_ruleset(path)


def test_offers_for_an_unknown_route_or_institute_are_refused():
    data = json.loads(DEFAULT_OFFERS.read_text(encoding="utf-8"))
    data["offers"]["pabo-xl"] = ["hu"]
    data["offers"]["kopopleiding"] = ["hva"]
    with pytest.raises(RulesError) as caught:
        parse_offers(data, default_ruleset())
    assert caught.value.problems == [
        "offers, route 'pabo-xl': unknown route (not in routes-2026.1.json)",
        "offers, route 'kopopleiding': unknown institute 'hva'",
    ]


def test_a_rule_change_is_a_data_edit_that_changes_the_advice(tmp_path):
    # A copy of the shipped file with one typical duration changed: the advice follows the data.
    data = edited(lambda d: route_of(d, "kopopleiding")["duration_months"].update(min=9, max=9))
    path = tmp_path / "routes-test.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    changed = load_ruleset(path)
    profile = CandidateProfile(**CASES[0].profile)
    before = advise(profile, default_ruleset()).for_route("kopopleiding")
    after = advise(profile, changed).for_route("kopopleiding")
    assert (before.route.duration.min_months, after.route.duration.min_months) == (12, 9)
    assert advise(profile, changed).routes[0].route.id == "kopopleiding"


def test_a_rule_change_that_changes_who_fits_is_caught_by_the_case_table():
    # Raising side-entry in VO to a wo master changes the advice of hbo graduates; the table notices.
    def edit(data):
        condition = route_of(data, "zij-instroom-vo")["conditions"][0]
        condition["level"] = "wo_master"

    changed = parse_ruleset(edited(edit), origin="edited.json")
    failing = [item.name for item in CASES if case_problems(item, changed)]
    assert "hbo-ingenieur met baan en VOG, natuurkunde vmbo/onderbouw" in failing
    assert all(not case_problems(item, default_ruleset()) for item in CASES)


def test_the_version_travels_with_the_advice():
    data = edited(lambda d: d.update(version="2026.2-test"))
    advice = advise(CandidateProfile(), parse_ruleset(data))
    assert advice.ruleset_version == "2026.2-test"
    assert advice.to_dict()["ruleset_version"] == "2026.2-test"
    assert all(item.status in Status for item in advice.routes)
