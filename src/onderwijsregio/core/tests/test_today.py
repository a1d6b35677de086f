"""The start page's registry (core.today): every app's today.py is loaded, and blocks of one role are merged."""

from __future__ import annotations

from onderwijsregio.core import today


def test_every_apps_provider_is_registered_at_start_up():
    names = {f"{provider.__module__}.{provider.__name__}" for provider in today._providers}
    assert {
        "onderwijsregio.loket.today.desk_blocks",
        "onderwijsregio.pool.today.pool_blocks",
        "onderwijsregio.workforce.today.workforce_blocks",
    } <= names


def test_blocks_of_one_role_are_merged_and_ordered_by_role(monkeypatch):
    first = today.TodayItem(count=1, label="een", url="/a")
    second = today.TodayItem(count=2, label="twee", url="/b")
    monkeypatch.setattr(
        today,
        "_providers",
        [
            lambda user: [
                today.TodayBlock(role="pool_member", title="Poollid"),
                today.TodayBlock(role="regional_team", title="Regioteam", items=[first]),
            ],
            lambda user: [today.TodayBlock(role="regional_team", title="", items=[second], notes=[("/c", "drie")])],
        ],
    )
    blocks = today.blocks_for(object())
    assert [block.role for block in blocks] == ["regional_team", "pool_member"]
    assert blocks[0].title == "Regioteam"
    assert blocks[0].items == [first, second] and blocks[0].notes == [("/c", "drie")]
