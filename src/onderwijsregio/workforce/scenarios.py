"""Scenario levers: the what-ifs a board or region can save, with Dutch labels, units and bounds.

A Scenario's `levers` JSON holds the engine's own units (a share as 0.3, not 30 %); `display_scale`
turns that into what the form shows. `scenario_levers` turns a stored Scenario into the engine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .engine.types import Scenario as EngineScenario


@dataclass(frozen=True)
class Lever:
    key: str  # field of engine.types.Scenario
    label: Any
    unit: Any  # unit of the value shown in the form
    min: float  # bounds in the shown unit
    max: float
    help: Any = ""
    display_scale: float = 1.0  # shown value = stored value * display_scale
    decimals: int = 2

    def to_display(self, value: float) -> float:
        return round(float(value) * self.display_scale, 6)

    def from_display(self, value: float) -> float:
        return float(value) / self.display_scale


LEVERS: list[Lever] = [
    Lever(
        "more_hours_share",
        _("Deeltijders die meer uren willen werken"),
        _("% van de deeltijders"),
        0.0,
        100.0,
        _("Het deel van de medewerkers met minder dan 1,0 fte dat meer gaat werken."),
        display_scale=100.0,
        decimals=0,
    ),
    Lever(
        "more_hours_fte",
        _("Extra betrekking per persoon"),
        _("fte"),
        0.0,
        0.5,
        _("Hoeveel fte elk van hen erbij gaat werken; niemand komt boven 1,0 fte."),
    ),
    Lever(
        "absence_delta_points",
        _("Verandering ziekteverzuim"),
        _("procentpunt"),
        -10.0,
        10.0,
        _("Negatief is lager verzuim: -1 betekent één procentpunt minder."),
        decimals=1,
    ),
    Lever(
        "extra_side_entrants_per_year",
        _("Extra zij-instromers per jaar"),
        _("personen per jaar"),
        0.0,
        1000.0,
        _("Bovenop de zij-instroom uit de aannames."),
        decimals=1,
    ),
    Lever(
        "pool_coverage_fte",
        _("Vervanging door de invalpool"),
        _("fte"),
        0.0,
        1000.0,
        _("Het deel van de vervanging bij verzuim dat de regionale invalpool opvangt."),
        decimals=1,
    ),
    Lever(
        "pupil_change_pct",
        _("Leerlingaantallen hoger of lager"),
        _("%"),
        -50.0,
        50.0,
        _("+5 betekent elk jaar vijf procent meer leerlingen dan de prognose."),
        decimals=1,
    ),
]

LEVERS_BY_KEY: dict[str, Lever] = {lever.key: lever for lever in LEVERS}


def validate_levers(levers: dict[str, Any]) -> dict[str, str]:
    """Dutch error per lever (stored units) that is unknown, not a number, or outside its bounds."""
    errors: dict[str, str] = {}
    for key, raw in levers.items():
        lever = LEVERS_BY_KEY.get(key)
        if lever is None:
            errors[key] = str(_("Onbekende knop."))
            continue
        try:
            shown = lever.to_display(float(raw))
        except (TypeError, ValueError):
            errors[key] = str(_("Vul een getal in."))
            continue
        if shown != shown or not lever.min <= shown <= lever.max:
            errors[key] = str(_("Kies een waarde van %(min)s tot en met %(max)s.")) % {
                "min": f"{lever.min:g}".replace(".", ","),
                "max": f"{lever.max:g}".replace(".", ","),
            }
    return errors


def clean_levers(levers: dict[str, Any] | None) -> dict[str, float]:
    """Known, valid levers as floats in stored (engine) units; everything else dropped, missing ones 0."""
    result = {lever.key: 0.0 for lever in LEVERS}
    for key, raw in (levers or {}).items():
        if key in LEVERS_BY_KEY and not validate_levers({key: raw}):
            result[key] = float(raw)
    return result


def scenario_levers(scenario) -> EngineScenario:
    """The engine Scenario of a stored Scenario; None gives the baseline."""
    if scenario is None:
        return EngineScenario()
    return EngineScenario(name=scenario.name, **clean_levers(scenario.levers))


def levers_summary(scenario) -> list[tuple[Lever, float]]:
    """(lever, shown value) for the levers of a scenario that differ from zero, for lists and reports."""
    levers = clean_levers(scenario.levers)
    return [(lever, lever.to_display(levers[lever.key])) for lever in LEVERS if levers[lever.key] != 0.0]
