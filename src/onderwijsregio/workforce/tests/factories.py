"""Factories for strategic personnel planning; pseudonymous, synthetic staff."""

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from onderwijsregio.organisations.tests.factories import BoardFactory
from onderwijsregio.workforce.models import Function, Scenario, StaffRow, StaffSnapshot


class StaffSnapshotFactory(DjangoModelFactory):
    class Meta:
        model = StaffSnapshot

    board = factory.SubFactory(BoardFactory)
    reference_date = date(2026, 10, 1)
    is_synthetic = True


class StaffRowFactory(DjangoModelFactory):
    class Meta:
        model = StaffRow

    snapshot = factory.SubFactory(StaffSnapshotFactory)
    line_number = factory.Sequence(lambda n: n + 2)
    pseudonym = factory.Sequence(lambda n: f"P{n:05d}")
    birth_year = 1980
    gender = "v"
    function = Function.TEACHING
    subjects = factory.LazyFunction(lambda: [{"subject": "wiskunde", "degree": "second"}])
    fte = Decimal("0.800")
    contract_type = "permanent"
    start_education = date(2008, 8, 1)
    start_board = date(2015, 8, 1)


class ScenarioFactory(DjangoModelFactory):
    class Meta:
        model = Scenario

    owner = factory.SubFactory(BoardFactory)
    name = factory.Sequence(lambda n: f"Scenario {n}")
    levers = factory.LazyFunction(lambda: {"more_hours_share": 0.3, "more_hours_fte": 0.1})
