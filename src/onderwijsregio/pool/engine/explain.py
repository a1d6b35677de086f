"""Dutch explanation sentences of the pool engine (no Django, so no gettext here).

The engine returns Dutch text for people who read it directly (coordinators, the CLI, benchmarks)
next to structured data the app renders itself: `Reason` codes with counts on `Unfilled`, and
`Exclusion(reason, detail)` on `Eligibility`. The app translates the codes; these sentences are the
engine's own rendering of the same facts.

Subject codes are SLO codes ("wi", "ne", "du"); `SUBJECT_NAMES` names the common ones and callers
may pass their own mapping (the app passes organisations.Subject names).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from .calendar import day_part_name
from .types import DayPart, Degree, Level, Reason, Request

SUBJECT_NAMES: dict[str, str] = {
    "ak": "aardrijkskunde",
    "bio": "biologie",
    "du": "Duits",
    "ec": "economie",
    "en": "Engels",
    "fa": "Frans",
    "gs": "geschiedenis",
    "inf": "informatica",
    "lo": "lichamelijke opvoeding",
    "ltc": "Latijn",
    "gtc": "Grieks",
    "ml": "maatschappijleer",
    "na": "natuurkunde",
    "nask1": "natuur- en scheikunde",
    "ne": "Nederlands",
    "sk": "scheikunde",
    "sp": "Spaans",
    "wi": "wiskunde",
    "wisA": "wiskunde A",
    "wisB": "wiskunde B",
    "wisC": "wiskunde C",
    "wisD": "wiskunde D",
    "zw": "zorg en welzijn",
}

LEVEL_NAMES: dict[Level, str] = {
    Level.VSO: "vso",
    Level.VMBO_BK: "vmbo basis/kader",
    Level.VMBO_GT: "vmbo gemengd/theoretisch",
    Level.HAVO_VWO_LOWER: "onderbouw havo/vwo",
    Level.HAVO_UPPER: "bovenbouw havo",
    Level.VWO_UPPER: "bovenbouw vwo",
    Level.MBO: "mbo",
}

DEGREE_NAMES: dict[Degree, str] = {
    Degree.FIRST: "eerstegraads",
    Degree.SECOND: "tweedegraads",
    Degree.LIMITED_SECOND: "beperkt tweedegraads",
    Degree.PDG: "pdg",
    Degree.IN_TRAINING: "in opleiding",
}

# Short Dutch phrases per reason, used when summing up why qualified members nearby could not come.
REASON_PHRASES: dict[Reason, str] = {
    Reason.INACTIVE: "niet actief",
    Reason.NO_QUALIFICATION: "niet bevoegd voor het vak",
    Reason.DEGREE_TOO_LOW: "niet bevoegd voor het niveau",
    Reason.NOT_AVAILABLE: "niet beschikbaar",
    Reason.ABSENT: "afwezig in de periode",
    Reason.TOO_FAR: "te ver weg",
    Reason.CHAIN_RULE: "ketenregel bereikt",
    Reason.VOG_MISSING: "zonder VOG",
    Reason.VOG_EXPIRED: "VOG te oud",
    Reason.BLOCKED: "uitgesloten",
    Reason.NOT_RELEASED: "nog niet vrijgegeven voor hun bestuur",
    Reason.ALREADY_BOOKED: "al ingeroosterd",
}


def subject_name(code: str, names: Mapping[str, str] | None = None) -> str:
    if names and code in names:
        return names[code]
    return SUBJECT_NAMES.get(code, code)


def format_number(value: float, decimals: int = 1) -> str:
    """Dutch decimal comma: 12.4 -> '12,4'; whole numbers without decimals."""
    if abs(value - round(value)) < 10 ** -(decimals + 1):
        return f"{round(value):d}"
    return f"{value:.{decimals}f}".replace(".", ",")


def format_km(km: float) -> str:
    return f"{format_number(km)} km"


def format_hours(hours: float) -> str:
    return f"{format_number(hours)} uur"


def format_date(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def day_parts_text(day_parts: list[DayPart] | tuple[DayPart, ...]) -> str:
    return ", ".join(day_part_name(day_part) for day_part in sorted(day_parts))


def required_degree(levels: frozenset[Level]) -> Degree:
    """The lowest degree that covers all levels: the grade an explanation asks for."""
    if levels & {Level.HAVO_UPPER, Level.VWO_UPPER}:
        return Degree.FIRST
    if levels and levels <= {Level.MBO}:
        return Degree.PDG
    return Degree.SECOND


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def proposal_explanation(
    *,
    continuity: bool,
    preferred_member: bool,
    preferred_school: bool,
    degree: Degree | None,
    subject: str,
    travel_km: float,
    board_behind: bool,
    partial_hours: float | None = None,
    request_hours: float = 0.0,
    subject_names: Mapping[str, str] | None = None,
) -> str:
    """E.g. 'Zelfde klas als eerder (continuïteit); eerstegraads wiskunde; 12,4 km'."""
    parts = []
    if continuity:
        parts.append("zelfde klas als eerder (continuïteit)")
    if preferred_member:
        parts.append("voorkeurskandidaat van de school")
    if preferred_school:
        parts.append("voorkeursschool van het lid")
    name = subject_name(subject, subject_names)
    parts.append(f"{DEGREE_NAMES[degree]} {name}" if degree else name)
    parts.append(format_km(travel_km))
    if board_behind:
        parts.append("bestuur ontving minder dan zijn aandeel (eerlijke verdeling)")
    if partial_hours is not None:
        parts.append(f"deels: {format_number(partial_hours)} van {format_number(request_hours)} uur per week")
    return _capitalise("; ".join(parts))


def unfilled_explanation(
    request: Request,
    *,
    qualified: int,
    qualified_in_reach: int,
    reasons_in_reach: Mapping[str, int],
    missing_day_parts: Mapping[DayPart, int],
    nearest_qualified_km: float | None,
    eligible: int,
    hours_left: float,
    subject_names: Mapping[str, str] | None = None,
) -> str:
    """Why a request (or part of it) stays open, from the screen's funnel of counts.

    Examples: 'geen lid met bevoegdheid Duits eerstegraads in de pool',
    'geen lid met bevoegdheid Duits eerstegraads binnen de eigen reisafstand (dichtstbijzijnde 52,3 km)',
    '3 leden bevoegd binnen reisafstand, maar 3 niet beschikbaar op dinsdagochtend'.
    """
    qualification = (
        f"bevoegdheid {subject_name(request.subject, subject_names)} {DEGREE_NAMES[required_degree(request.levels)]}"
    )
    partial = hours_left < request.hours_per_week - 1e-9
    prefix = (
        f"{format_number(hours_left)} van {format_number(request.hours_per_week)} uur per week open: "
        if partial
        else ""
    )
    if qualified == 0:
        return _capitalise(prefix + f"geen actief lid met {qualification} in de pool")
    if qualified_in_reach == 0:
        nearest = (
            f" (dichtstbijzijnde op {format_km(nearest_qualified_km)})" if nearest_qualified_km is not None else ""
        )
        return _capitalise(prefix + f"geen lid met {qualification} binnen de eigen reisafstand{nearest}")
    members = "1 lid" if qualified_in_reach == 1 else f"{qualified_in_reach} leden"
    if eligible > 0:
        who = "1 geschikt lid" if eligible == 1 else f"{eligible} geschikte leden"
        if partial:
            return _capitalise(prefix + f"{who}, maar zonder ruimte voor meer uren in deze ronde")
        return _capitalise(f"{who}, maar ingezet voor andere aanvragen in deze ronde")
    details = []
    for reason in Reason:
        count = reasons_in_reach.get(reason.value, 0)
        if not count:
            continue
        if reason == Reason.NOT_AVAILABLE and missing_day_parts:
            most = max(missing_day_parts.values())
            worst = [day_part for day_part, n in missing_day_parts.items() if n == most][:2]
            details.append(f"{count} niet beschikbaar op {' en '.join(day_part_name(dp) for dp in sorted(worst))}")
        else:
            details.append(f"{count} {REASON_PHRASES[reason]}")
    reach = "bevoegd binnen reisafstand"
    return _capitalise(prefix + f"{members} {reach}, maar " + ", ".join(details))
