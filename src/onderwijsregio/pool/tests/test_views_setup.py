"""Pool list, home, policy and participating boards."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onderwijsregio.organisations.tests.factories import BoardFactory, RegionMemberFactory
from onderwijsregio.pool.models import PoolBoard

from .workflow_setup import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def test_pool_list_per_user(client, w):
    client.force_login(w.hr_a)
    body = client.get(reverse("pool:pool_list")).content.decode()
    assert "Invalpool Eemland" in body
    client.force_login(w.hr_c)
    body = client.get(reverse("pool:pool_list")).content.decode()
    assert "Invalpool Eemland" not in body


def test_pool_home_by_role(client, w):
    url = reverse("pool:pool_detail", args=[w.pool.slug])
    client.force_login(w.coordinator)
    body = client.get(url).content.decode()
    assert "Voor de coördinator" in body
    client.force_login(w.leader_a1)
    body = client.get(url).content.decode()
    assert "Vervanging aanvragen" in body and "Voor de coördinator" not in body
    client.force_login(w.outsider_team)
    assert client.get(url).status_code == 404


def test_my_work_is_not_taken_for_a_pool_slug(client, w):
    client.force_login(w.member_user)
    assert client.get(reverse("pool:my_work")).status_code == 200
    assert reverse("pool:my_work") == "/invalpool/mijn-werk/"


def test_policy_edit_and_errors(client, w):
    url = reverse("pool:pool_policy", args=[w.pool.slug])
    client.force_login(w.hr_a)
    assert client.get(url).status_code == 403
    client.force_login(w.coordinator)
    assert client.get(url).status_code == 200
    data = {
        "name": "Invalpool Eemland",
        "long_term_days": "10",
        "subjects": [w.wi.pk],
        "levels": ["vmbo_gt"],
        "contribution_key": "per_fte",
        "payroll_rate": "60.00",
        "agency_rate": "115.00",
        "release_own_board_after_days": "3",
        "release_pool_after_days": "1",
        "offer_valid_hours": "24",
        "fairness_window_months": "12",
        "is_active": "on",
        "version": w.pool.version,
    }
    body = client.post(url, data).content.decode()
    assert "niet eerder aan de beurt" in body
    data["release_pool_after_days"] = "5"
    assert client.post(url, data).status_code == 302
    w.pool.refresh_from_db()
    assert w.pool.long_term_days == 10
    assert list(w.pool.subjects.all()) == [w.wi]
    assert w.pool.levels == ["vmbo_gt"]


def test_boards_with_chain_rules(client, w):
    newcomer = BoardFactory(name="Stichting Nieuw")
    RegionMemberFactory(region=w.region, member=newcomer)
    client.force_login(w.coordinator)
    url = reverse("pool:pool_boards", args=[w.pool.slug])
    assert "Stichting Nieuw" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "board": newcomer.pk,
            "requests_substitutes": "on",
            "supplies_members": "on",
            "chain_max_contracts": "2",
            "chain_window_months": "24",
            "chain_exempt_reasons": ["illness"],
        },
    )
    assert response.status_code == 302
    participation = PoolBoard.objects.get(pool=w.pool, board=newcomer)
    assert participation.chain_max_contracts == 2
    assert participation.chain_exempt_reasons == ["illness"]
    edit = reverse("pool:pool_board_edit", args=[w.pool.slug, participation.pk])
    client.post(edit, {"chain_max_contracts": "4", "chain_window_months": "36"})
    participation.refresh_from_db()
    assert participation.chain_max_contracts == 4
    client.post(reverse("pool:pool_board_remove", args=[w.pool.slug, participation.pk]))
    assert not PoolBoard.objects.filter(pk=participation.pk).exists()
