"""The public route pages with the Django test client (no login; nothing stored)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from onderwijsregio.routes.engine import default_ruleset

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_route_list_shows_every_route_grouped_with_facts(client):
    response = client.get(reverse("routes:route_list"))
    assert response.status_code == 200
    text = text_of(response)
    ruleset = default_ruleset()
    for group in ruleset.groups:
        assert group.name in text
    for route in ruleset.routes:
        assert reverse("routes:route_detail", args=[route.id]) in response.content.decode()
    # Side-entry in VO: result, duration, cost, the employer's subsidy and a source.
    assert "Zij-instroom in het voortgezet onderwijs (tweedegraads)" in text
    assert "12 tot 24 maanden" in text
    assert "Subsidie zij-instroom: tot € 25.000, voor de werkgever (het schoolbestuur)" in text
    assert "Rijksoverheid: werken in het onderwijs" in text
    assert "Regels versie 2026.1" in text


def test_route_detail_explains_requirements_steps_subsidy_and_sources(client):
    response = client.get(reverse("routes:route_detail", args=["zij-instroom-vo"]))
    assert response.status_code == 200
    text = text_of(response)
    assert "Minstens een hbo- of wo-bachelor." in text
    assert "Een verklaring omtrent het gedrag (VOG). (kun je ook nog regelen)" in text
    assert "Een geschiktheidsonderzoek (ongeveer €1.850 tot €2.550" in text
    assert "Tweedegraads bevoegdheid" in text
    assert "Hogeschool Utrecht" in text


def test_route_detail_of_free_duo_recognition_says_it_costs_nothing(client):
    text = text_of(client.get(reverse("routes:route_detail", args=["duo-erkenning"])))
    assert "geen kosten" in text
    assert "niet bekend in de demogegevens" in text


def test_unknown_route_is_404(client):
    assert client.get(reverse("routes:route_detail", args=["bestaat-niet"])).status_code == 404


def test_check_without_answers_shows_only_the_form(client):
    response = client.get(reverse("routes:check"))
    assert response.status_code == 200
    assert response.context["sections"] == []
    assert not response.context["form"].is_bound
    assert "Jouw advies" not in text_of(response)


def test_check_gives_the_advice_with_explanations(client):
    response = client.get(
        reverse("routes:check"),
        {
            "education_level": "wo_master",
            "target_sector": "VO",
            "target_subject": "wisB",
            "related": "nee",
            "dutch_level": "native",
        },
    )
    assert response.status_code == 200
    text = text_of(response)
    sections = {section["status"]: section for section in response.context["sections"]}
    fitting = [item.route.id for item in sections["fits"]["items"]]
    assert "lerarenopleiding-voltijd" in fitting
    assert "zij-instroom-vo" not in fitting
    assert "Voor zij-instroom in wiskunde B in het vo heb je een verwant hbo- of wo-diploma nodig" in text
    assert "Routes die nu niet passen" in text
    # Every route appears once on the page.
    shown = [item.route.id for section in sections.values() for item in section["items"]]
    assert sorted(shown) == sorted(default_ruleset().route_ids)


def test_check_related_degree_and_job_offer_make_side_entry_fit_after_vog(client):
    response = client.get(
        reverse("routes:check"),
        {
            "education_level": "hbo_bachelor",
            "target_sector": "VO",
            "target_subject": "na",
            "related": "ja",
            "has_job_offer": "on",
        },
    )
    sections = {section["status"]: section for section in response.context["sections"]}
    after = {item.route.id: item for item in sections["fits_after"]["items"]}
    assert "zij-instroom-vo" in after
    assert [req.id for req in after["zij-instroom-vo"].advice.missing] == ["vog"]
    assert "Je vraagt de VOG aan bij Justis" in text_of(response)


def test_check_statushouder_with_b1_sees_recognition_and_not_po_until_b2(client):
    response = client.get(
        reverse("routes:check"),
        {
            "education_level": "wo_master",
            "target_sector": "PO",
            "dutch_level": "B1",
            "foreign_teacher": "on",
            "target_group": "statushouder",
        },
    )
    sections = {
        section["status"]: [item.route.id for item in section["items"]] for section in response.context["sections"]
    }
    assert "schakeltraject-statushouders" in sections["fits"]
    assert {"duo-erkenning", "pabo-verkort"} <= set(sections["fits_after"])
    assert "moet je Nederlands op minstens B2 zijn; jouw niveau is B1" in text_of(response)


def test_check_keeps_answers_and_explains_errors_in_dutch(client):
    response = client.get(
        reverse("routes:check"),
        {"education_level": "", "target_sector": "VO", "related": "ja", "qualification_subject": "wi"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "education_level": ["Kies je hoogste diploma."],
        "target_subject": ["Kies het vak dat je wilt geven; dan kunnen we zien of je opleiding verwant is."],
        "qualification_subject": [
            "Een vak hoort alleen bij een vakbevoegdheid; kies je bevoegdheid of laat het vak leeg."
        ],
    }
    html = response.content.decode()
    assert 'href="#id_education_level"' in html  # the error summary links to the field
    assert '<option value="VO" selected>' in html  # what was chosen stays chosen
    assert response.context["sections"] == []


def test_check_refuses_values_that_are_not_choices(client):
    response = client.get(reverse("routes:check"), {"education_level": "master", "target_sector": "HO"})
    form = response.context["form"]
    assert set(form.errors) == {"education_level", "target_sector"}
    assert "Selecteer een geldige keuze" in form.errors["education_level"][0]


def test_check_stores_nothing(client, django_assert_num_queries):
    # Anonymous, no session writes, no audit rows: the advice is computed and shown, nothing else.
    with django_assert_num_queries(0):
        client.get(reverse("routes:check"), {"education_level": "mbo4", "target_sector": "PO"})
    assert not client.cookies.get("sessionid")
