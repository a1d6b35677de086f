"""The forecast model's assumptions: what each one means, its unit, default, bounds and public source.

`CATALOGUE` is the single list the assumptions page shows and the regional team edits. Values are
stored per region in `AssumptionSet.values` in the *unit shown to the user* (percentages as 6.0,
not 0.06); `engine_assumptions` converts them into `engine.types.Assumptions`. A region without
its own values uses the defaults, which come from public figures (see docs/domain.md section 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from .engine.types import Assumptions
from .models import AssumptionSet

ONDERWIJSINCIJFERS = "https://www.onderwijsincijfers.nl/kengetallen/vo/personeel-vo"
AOW_URL = "https://www.rijksoverheid.nl/onderwerpen/algemene-ouderdomswet-aow/aow-leeftijd"
VERZUIM_URL = "https://www.duo.nl/open_onderwijsdata/onderwijspersoneel/"
OCW_URL = "https://www.ocwincijfers.nl/sectoren/voortgezet-onderwijs/personeel"
TEKORT_URL = "https://www.rijksoverheid.nl/documenten/kamerstukken/2024/12/20/lerarentekort"


@dataclass(frozen=True)
class Assumption:
    """One editable assumption. `scale` turns the shown value into the engine's value (1/100 for %)."""

    key: str
    group: Any
    label: Any
    unit: Any
    default: float
    min: float
    max: float
    source: Any
    url: str = ""
    help: Any = ""
    scale: float = 1.0
    decimals: int = 2

    def to_engine(self, value: float) -> float:
        return float(value) * self.scale


G_RETIREMENT = _("Pensioen")
G_OUTFLOW = _("Uitstroom")
G_INFLOW = _("Instroom")
G_DEMAND = _("Vraag en verzuim")
G_UNCERTAINTY = _("Onzekerheid (Monte Carlo)")

PCT = _("%")
PCT_YEAR = _("% per jaar")
YEARS = _("jaar")

CATALOGUE: list[Assumption] = [
    Assumption(
        "pension_age_2025",
        G_RETIREMENT,
        _("AOW-leeftijd tot en met 2027"),
        YEARS,
        67.0,
        65.0,
        70.0,
        _("Rijksoverheid: AOW-leeftijd 67 jaar t/m 2027"),
        AOW_URL,
    ),
    Assumption(
        "pension_age_2028",
        G_RETIREMENT,
        _("AOW-leeftijd 2028 tot en met 2031"),
        YEARS,
        67.25,
        65.0,
        70.0,
        _("Rijksoverheid: AOW-leeftijd 67 jaar en 3 maanden in 2028-2031"),
        AOW_URL,
    ),
    Assumption(
        "pension_age_2032",
        G_RETIREMENT,
        _("AOW-leeftijd vanaf 2032"),
        YEARS,
        67.25,
        65.0,
        70.0,
        _("Nog niet vastgesteld door het kabinet; aanname: gelijk aan 2031 (aanpasbaar)"),
        AOW_URL,
    ),
    Assumption(
        "outflow_16_24",
        G_OUTFLOW,
        _("Overige uitstroom, leeftijd tot 25"),
        PCT_YEAR,
        8.0,
        0.0,
        50.0,
        _("Centerdata Mirror-methode: uitstroom naar leeftijdsklasse; kengetallen VO-personeel"),
        ONDERWIJSINCIJFERS,
        scale=0.01,
        help=_("Vertrek om andere redenen dan pensioen (ander werk, verhuizing)."),
    ),
    Assumption(
        "outflow_25_34",
        G_OUTFLOW,
        _("Overige uitstroom, 25 tot 35 jaar"),
        PCT_YEAR,
        7.0,
        0.0,
        50.0,
        _("Centerdata Mirror-methode: uitstroom naar leeftijdsklasse; kengetallen VO-personeel"),
        ONDERWIJSINCIJFERS,
        scale=0.01,
    ),
    Assumption(
        "outflow_35_44",
        G_OUTFLOW,
        _("Overige uitstroom, 35 tot 45 jaar"),
        PCT_YEAR,
        4.5,
        0.0,
        50.0,
        _("Centerdata Mirror-methode: uitstroom naar leeftijdsklasse; kengetallen VO-personeel"),
        ONDERWIJSINCIJFERS,
        scale=0.01,
    ),
    Assumption(
        "outflow_45_54",
        G_OUTFLOW,
        _("Overige uitstroom, 45 tot 55 jaar"),
        PCT_YEAR,
        3.5,
        0.0,
        50.0,
        _("Centerdata Mirror-methode: uitstroom naar leeftijdsklasse; kengetallen VO-personeel"),
        ONDERWIJSINCIJFERS,
        scale=0.01,
    ),
    Assumption(
        "outflow_55_75",
        G_OUTFLOW,
        _("Overige uitstroom, 55 jaar en ouder (vóór AOW)"),
        PCT_YEAR,
        5.0,
        0.0,
        50.0,
        _("Centerdata Mirror-methode: uitstroom naar leeftijdsklasse (incl. vervroegd pensioen)"),
        ONDERWIJSINCIJFERS,
        scale=0.01,
    ),
    Assumption(
        "starter_outflow_year1",
        G_OUTFLOW,
        _("Extra uitstroom starters in het eerste jaar bij het bestuur"),
        PCT,
        20.0,
        0.0,
        80.0,
        _("DUO/onderwijsincijfers.nl: uitstroom starters VO ~20% na 1 jaar"),
        ONDERWIJSINCIJFERS,
        scale=0.01,
    ),
    Assumption(
        "starter_outflow_year2",
        G_OUTFLOW,
        _("Extra uitstroom starters in het tweede jaar"),
        PCT,
        3.0,
        0.0,
        50.0,
        _("DUO/onderwijsincijfers.nl: uitstroom starters VO ~25% na 3 jaar (cumulatief)"),
        ONDERWIJSINCIJFERS,
        scale=0.01,
    ),
    Assumption(
        "starter_outflow_year3",
        G_OUTFLOW,
        _("Extra uitstroom starters in het derde jaar"),
        PCT,
        2.0,
        0.0,
        50.0,
        _("DUO/onderwijsincijfers.nl: uitstroom starters VO ~25% na 3 jaar, ~30% na 5 jaar (cumulatief)"),
        ONDERWIJSINCIJFERS,
        scale=0.01,
    ),
    Assumption(
        "graduate_inflow_rate",
        G_INFLOW,
        _("Instroom pas afgestudeerden"),
        _("% van de formatie per jaar"),
        2.5,
        0.0,
        20.0,
        _("Aanname op basis van instroom lerarenopleidingen (kengetallen VO-personeel)"),
        ONDERWIJSINCIJFERS,
        scale=0.01,
    ),
    Assumption(
        "mobility_inflow_rate",
        G_INFLOW,
        _("Instroom ervaren personeel van elders"),
        _("% van de formatie per jaar"),
        2.0,
        0.0,
        20.0,
        _("Aanname op basis van mobiliteit tussen besturen (kengetallen VO-personeel)"),
        ONDERWIJSINCIJFERS,
        scale=0.01,
    ),
    Assumption(
        "side_entrants_per_year",
        G_INFLOW,
        _("Zij-instromers per jaar (onderwijsloket)"),
        _("personen per jaar"),
        0.0,
        0.0,
        1000.0,
        _(
            "Bij 0 telt de prognose wat het loket zag: zij-instromers en statushouders die de afgelopen 12 maanden "
            "op een school begonnen (per bestuur of voor de hele regio). Vul een eigen verwachting in om dat te "
            "vervangen."
        ),
        "",
        decimals=1,
    ),
    Assumption(
        "graduate_age",
        G_INFLOW,
        _("Leeftijd van pas afgestudeerden"),
        YEARS,
        25.0,
        20.0,
        40.0,
        _("Aanname: gemiddelde leeftijd bij afstuderen lerarenopleiding"),
        "",
        decimals=0,
    ),
    Assumption(
        "side_entrant_age",
        G_INFLOW,
        _("Leeftijd van zij-instromers"),
        YEARS,
        38.0,
        22.0,
        60.0,
        _("Aanname: gemiddelde leeftijd zij-instromers"),
        "",
        decimals=0,
    ),
    Assumption(
        "new_staff_fte",
        G_INFLOW,
        _("Gemiddelde betrekking van nieuw personeel"),
        _("fte"),
        0.8,
        0.1,
        1.0,
        _("Kengetallen VO-personeel: veel deeltijd, gemiddelde betrekking ~0,75-0,8 fte"),
        ONDERWIJSINCIJFERS,
    ),
    Assumption(
        "absence_pct",
        G_DEMAND,
        _("Ziekteverzuim (als het bestuur het niet zelf aanlevert)"),
        PCT,
        6.0,
        0.0,
        30.0,
        _("Verzuim VO 6,0% (2024)"),
        VERZUIM_URL,
    ),
    Assumption(
        "hidden_shortage_pct",
        G_DEMAND,
        _("Verborgen tekort"),
        _("% van de formatie"),
        3.0,
        0.0,
        20.0,
        _("Verborgen tekort ~3% van de formatie, seed-regio (VO: 3,7% van de lessen onbevoegd, ocwincijfers.nl)"),
        OCW_URL,
    ),
    Assumption(
        "outflow_sd",
        G_UNCERTAINTY,
        _("Onzekerheid uitstroomkansen"),
        _("% (relatieve standaardafwijking)"),
        15.0,
        0.0,
        100.0,
        _("Modelaanname voor de spreiding van de Monte Carlo-trekkingen"),
        "",
        scale=0.01,
    ),
    Assumption(
        "inflow_sd",
        G_UNCERTAINTY,
        _("Onzekerheid instroom"),
        _("% (relatieve standaardafwijking)"),
        25.0,
        0.0,
        100.0,
        _("Modelaanname voor de spreiding van de Monte Carlo-trekkingen"),
        "",
        scale=0.01,
    ),
    Assumption(
        "pupils_sd_per_year",
        G_UNCERTAINTY,
        _("Onzekerheid leerlingaantallen per jaar vooruit"),
        _("% per jaar"),
        1.0,
        0.0,
        20.0,
        _("Modelaanname; groeit met de wortel van het aantal jaren vooruit"),
        "",
        scale=0.01,
    ),
    Assumption(
        "absence_sd_points",
        G_UNCERTAINTY,
        _("Onzekerheid ziekteverzuim"),
        _("procentpunt"),
        0.5,
        0.0,
        10.0,
        _("Modelaanname voor de spreiding van de Monte Carlo-trekkingen"),
        "",
    ),
]

BY_KEY: dict[str, Assumption] = {entry.key: entry for entry in CATALOGUE}
DEFAULTS: dict[str, float] = {entry.key: entry.default for entry in CATALOGUE}

# Upper age of each outflow band; the bands are consecutive (16-24, 25-34, ...).
OUTFLOW_BANDS = (
    (16, 24, "outflow_16_24"),
    (25, 34, "outflow_25_34"),
    (35, 44, "outflow_35_44"),
    (45, 54, "outflow_45_54"),
    (55, 75, "outflow_55_75"),
)
PENSION_YEARS = ((2025, "pension_age_2025"), (2028, "pension_age_2028"), (2032, "pension_age_2032"))
STARTER_KEYS = ("starter_outflow_year1", "starter_outflow_year2", "starter_outflow_year3")


def validate_values(values: dict[str, Any]) -> dict[str, str]:
    """Dutch error per key for every value that is not a number within its bounds; unknown keys too."""
    errors: dict[str, str] = {}
    for key, raw in values.items():
        entry = BY_KEY.get(key)
        if entry is None:
            errors[key] = str(_("Onbekende aanname."))
            continue
        try:
            value = float(raw)
        except (TypeError, ValueError):
            errors[key] = str(_("Vul een getal in."))
            continue
        if value != value or not entry.min <= value <= entry.max:  # NaN or out of bounds
            errors[key] = str(_("Kies een waarde van %(min)s tot en met %(max)s.")) % {
                "min": _fmt(entry.min),
                "max": _fmt(entry.max),
            }
    return errors


def _fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def clean_values(stored: dict[str, Any] | None) -> dict[str, float]:
    """Defaults overlaid with the stored values that are known and within bounds (others are ignored)."""
    values = dict(DEFAULTS)
    for key, raw in (stored or {}).items():
        if key in BY_KEY and not validate_values({key: raw}):
            values[key] = float(raw)
    return values


def assumption_set_for(region) -> AssumptionSet | None:
    if region is None:
        return None
    return AssumptionSet.objects.filter(region=region).first()


def values_for(region) -> dict[str, float]:
    """The region's assumption values in display units: its own where set, the defaults otherwise."""
    stored = assumption_set_for(region)
    return clean_values(stored.values if stored else None)


def overridden_keys(region) -> set[str]:
    """Keys the region has set to something other than the default."""
    values = values_for(region)
    return {key for key, value in values.items() if value != DEFAULTS[key]}


def assumptions_from_values(values: dict[str, float], base_year: int) -> Assumptions:
    """Build the engine's Assumptions from display-unit values (defaults fill what is missing)."""
    v = clean_values(values)

    def engine(key: str) -> float:
        return BY_KEY[key].to_engine(v[key])

    return Assumptions(
        base_year=int(base_year),
        pension_age={year: v[key] for year, key in PENSION_YEARS},
        outflow_by_age=tuple((lo, hi, engine(key)) for lo, hi, key in OUTFLOW_BANDS),
        starter_outflow_by_tenure=(*(engine(key) for key in STARTER_KEYS), 0.0),
        graduate_inflow_rate=engine("graduate_inflow_rate"),
        mobility_inflow_rate=engine("mobility_inflow_rate"),
        side_entrants_per_year=engine("side_entrants_per_year"),
        graduate_age=int(round(v["graduate_age"])),
        side_entrant_age=int(round(v["side_entrant_age"])),
        new_staff_fte=engine("new_staff_fte"),
        absence_pct=engine("absence_pct"),
        hidden_shortage_pct=engine("hidden_shortage_pct"),
        outflow_sd=engine("outflow_sd"),
        inflow_sd=engine("inflow_sd"),
        pupils_sd_per_year=engine("pupils_sd_per_year"),
        absence_sd_points=engine("absence_sd_points"),
    )


def engine_assumptions(region, base_year: int) -> Assumptions:
    """The engine's Assumptions for a region (defaults when region is None or has none stored)."""
    return assumptions_from_values(values_for(region), base_year)
