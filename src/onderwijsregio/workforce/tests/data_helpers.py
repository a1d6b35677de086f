"""Helpers for the data-in tests: subjects, a board with locations, and snapshot files as bytes."""

from __future__ import annotations

import csv
import io
from typing import Any

from onderwijsregio.organisations.models import Subject
from onderwijsregio.organisations.tests.factories import BoardFactory, SchoolLocationFactory

HEADERS = [
    "pseudoniem",
    "geboortejaar",
    "geslacht",
    "functiegroep",
    "vakken",
    "fte",
    "contract",
    "in onderwijs sinds",
    "bij bestuur sinds",
    "vestiging",
    "verzuim %",
    "geplande uitstroom",
]


def subjects_create() -> None:
    for code, name in (("wi", "Wiskunde"), ("na", "Natuurkunde"), ("ne", "Nederlands"), ("en", "Engels")):
        Subject.objects.get_or_create(code=code, defaults={"name": name})


def board_with_location(code: str = "99XX00"):
    board = BoardFactory()
    location = SchoolLocationFactory(board=board, vestiging_code=code, brin=code[:4])
    return board, location


def row(n: int = 1, **overrides: Any) -> dict[str, Any]:
    values = {
        "pseudoniem": f"P{n:04d}",
        "geboortejaar": "1975",
        "geslacht": "v",
        "functiegroep": "OP",
        "vakken": "wiskunde:eerstegraads; na:tweedegraads",
        "fte": "0,8",
        "contract": "vast",
        "in onderwijs sinds": "01-08-2001",
        "bij bestuur sinds": "2010-08-01",
        "vestiging": "",
        "verzuim %": "4,5",
        "geplande uitstroom": "",
    }
    values.update(overrides)
    return values


def csv_bytes(rows: list[dict[str, Any]], *, delimiter: str = ";", bom: bool = True, headers=None) -> bytes:
    headers = headers or HEADERS
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for item in rows:
        writer.writerow([item.get(h, "") for h in headers])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[dict[str, Any]], *, headers=None) -> bytes:
    from openpyxl import Workbook

    headers = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Personeel"
    sheet.append(headers)
    for item in rows:
        sheet.append([item.get(h, "") for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class World:
    """A region with two member boards A and B, and a user for every role that matters here."""

    def __init__(self) -> None:
        from onderwijsregio.accounts.models import Role
        from onderwijsregio.accounts.tests.factories import MembershipFactory, UserFactory
        from onderwijsregio.organisations.tests.factories import RegionFactory, RegionMemberFactory

        self.region = RegionFactory()
        self.other_region = RegionFactory()
        self.board_a, self.location_a = board_with_location("91AA00")
        self.board_b, self.location_b = board_with_location("92BB00")
        self.board_outside, _ = board_with_location("93CC00")
        RegionMemberFactory(region=self.region, member=self.board_a)
        RegionMemberFactory(region=self.region, member=self.board_b)
        RegionMemberFactory(region=self.other_region, member=self.board_outside)
        self.hr_a = MembershipFactory(organisation=self.board_a, role=Role.BOARD_HR).user
        self.hr_b = MembershipFactory(organisation=self.board_b, role=Role.BOARD_HR).user
        self.leader_a = MembershipFactory(organisation=self.board_a, role=Role.SCHOOL_LEADER).user
        self.team = MembershipFactory(organisation=self.region, role=Role.REGIONAL_TEAM).user
        self.other_team = MembershipFactory(organisation=self.other_region, role=Role.REGIONAL_TEAM).user
        self.outsider = UserFactory()
        self.admin = UserFactory(is_superuser=True, is_staff=True)
