"""What a forecast shows: the summary tables (suppressed for a region), charts, XLSX and the DOCX/PDF report.

`summarise(result, regional=...)` turns a run's stored result into plain tables, one source for the
pages, the spreadsheet and the report, so they never disagree and a suppressed cell is hidden in all
of them alike (see `suppression` for the rule). Every cell is a dict `{"v": number or None, "s": text}`;
`s` is "<5" or "–" when the number is hidden. The board's own view hides nothing.

The shortage ranking uses the gap in the fifth year ahead (or the last year of a shorter forecast):
the horizon of a board's strategic personnel plan.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from html import escape
from typing import Any

from django.utils.translation import gettext as _

from onderwijsregio.core.documents import Chart, Heading, Notice, Paragraph, Report, Table
from onderwijsregio.organisations import charts
from onderwijsregio.organisations.models import Subject

from . import suppression
from .models import Function

RANKING_YEARS_AHEAD = 5
NO_SUBJECT = "Zonder vak"


def _cell(value: float | None, state: str = suppression.SHOWN) -> dict[str, Any]:
    if state == suppression.PRIMARY:
        return {"v": None, "s": suppression.PRIMARY_TEXT}
    if state == suppression.SECONDARY:
        return {"v": None, "s": suppression.SECONDARY_TEXT}
    return {"v": None if value is None else round(float(value), 1), "s": ""}


def _from(cell: suppression.Cell) -> dict[str, Any]:
    return _cell(cell.value, cell.state)


def subject_names(codes: Sequence[str]) -> dict[str, str]:
    names = dict(Subject.objects.filter(code__in=[code for code in codes if code]).values_list("code", "name"))
    return {code: names.get(code, code) if code else _("Zonder vak") for code in codes}


def ranking_index(years: Sequence[int]) -> int:
    return min(RANKING_YEARS_AHEAD, len(years) - 1)


def summarise(result: dict[str, Any], *, regional: bool) -> dict[str, Any]:
    """Tables of a stored forecast result; with `regional`, small cells are suppressed (module docstring)."""
    years: list[int] = result["years"]
    n_years = len(years)
    k = ranking_index(years)
    total = result["total"]
    boards = result.get("by_board", [])
    band_total = result["bands"]["total"]
    persons = total.get("persons", 0)
    largest_board = max((board["headcount"][0] for board in boards), default=0.0)

    # Totals per year: sensitive only if the whole region (or all boards but the largest) is under five.
    hide_total = regional and suppression.is_sensitive(persons, largest_board if len(boards) > 1 else None)
    total_rows = []
    for index, year in enumerate(years):
        bands = {metric: [band_total[metric][0][p][index] for p in range(3)] for metric in ("supply", "demand", "gap")}
        state = suppression.PRIMARY if hide_total else suppression.SHOWN
        total_rows.append(
            {
                "year": year,
                "headcount": _cell(total["headcount"][index], state),
                "supply": _cell(total["supply"][index], state),
                "demand": _cell(total["demand"][index], state),
                "gap": _cell(total["gap"][index], state),
                "supply_band": [_cell(value, state) for value in bands["supply"]],
                "demand_band": [_cell(value, state) for value in bands["demand"]],
                "gap_band": [_cell(value, state) for value in bands["gap"]],
            }
        )

    # Flows per year: the value is the number of persons it describes.
    flows = []
    for index, year in enumerate(years):
        row = {"year": year}
        for metric in ("retirements", "outflow", "inflow"):
            value = total[metric][index]
            biggest = max((board[metric][index] for board in boards), default=0.0) if len(boards) > 1 else None
            hidden = regional and suppression.is_sensitive(value, biggest)
            row[metric] = _cell(value, suppression.PRIMARY if hidden else suppression.SHOWN)
        flows.append(row)

    # Gap per teaching subject per year, with the published total per year.
    teaching = [group for group in result["by_group"] if group["function"] == Function.TEACHING]
    codes = [group["subject"] for group in teaching]
    names = subject_names(codes)
    values = [group["gap"] for group in teaching]
    counts = [[group["persons"]] * n_years for group in teaching]
    largest = [[group.get("largest_board_persons", 0)] * n_years for group in teaching] if len(boards) > 1 else None
    if teaching and regional:
        table = suppression.suppress_table(
            values,
            counts,
            row_totals=False,
            column_totals=True,
            largest=largest,
            column_total_counts=[result["by_function"].get(Function.TEACHING, 0)] * n_years,
        )
        cells = [[_from(cell) for cell in row] for row in table.cells]
        column_totals = [_from(cell) for cell in table.column_totals]
    else:
        cells = [[_cell(value) for value in row] for row in values]
        column_totals = [_cell(sum(row[i] for row in values)) for i in range(n_years)] if values else []
    subject_band = result["bands"].get("subject", {"keys": [], "gap": []})
    band_of = {key: subject_band["gap"][i] for i, key in enumerate(subject_band["keys"])}
    subject_rows = []
    for group, row_cells in zip(teaching, cells, strict=True):
        code = group["subject"]
        shown = row_cells[k]["v"] is not None
        band = band_of.get(code)
        subject_rows.append(
            {
                "code": code,
                "name": names[code],
                "persons": group["persons"] if not regional or shown else None,
                "cells": row_cells,
                "ranking_gap": row_cells[k],
                "ranking_band": [_cell(band[p][k]) for p in range(3)]
                if band is not None and shown
                else [row_cells[k]] * 3,
            }
        )
    ranking = sorted(
        (row for row in subject_rows if row["ranking_gap"]["v"] is not None),
        key=lambda row: (-row["ranking_gap"]["v"], row["name"]),
    )
    hidden_subjects = sum(1 for row in subject_rows if row["ranking_gap"]["v"] is None)

    # Age pyramid of the snapshot(s): age band x gender with totals.
    pyramid = result["age_pyramid"]
    pyramid_counts = pyramid["counts"]
    if regional:
        table = suppression.suppress_table(
            pyramid_counts,
            pyramid_counts,
            largest=pyramid.get("largest_board") if len(boards) > 1 else None,
        )
        pyramid_cells = [[_from(cell) for cell in row] for row in table.cells]
        pyramid_row_totals = [_from(cell) for cell in table.row_totals]
        pyramid_col_totals = [_from(cell) for cell in table.column_totals]
        pyramid_total = _from(table.grand_total)
    else:
        pyramid_cells = [[_cell(value) for value in row] for row in pyramid_counts]
        pyramid_row_totals = [_cell(sum(row)) for row in pyramid_counts]
        pyramid_col_totals = [_cell(sum(row[g] for row in pyramid_counts)) for g in range(len(pyramid["genders"]))]
        pyramid_total = _cell(sum(map(sum, pyramid_counts)))
    hidden_cells = sum(
        1
        for row in [*cells, *pyramid_cells, [r["gap"] for r in total_rows], *[list(f.values())[1:] for f in flows]]
        for cell in row
        if cell["v"] is None and cell["s"]
    )
    return {
        "regional": regional,
        "years": years,
        "ranking_year": years[k],
        "ranking_index": k,
        "persons": persons if not hide_total else None,
        "total_rows": total_rows,
        "flows": flows,
        "subject_rows": subject_rows,
        "subject_totals": column_totals,
        "ranking": ranking,
        "hidden_subjects": hidden_subjects,
        "pyramid": {
            "bands": pyramid["bands"],
            "genders": pyramid["genders"],
            "rows": [
                {"band": band, "cells": row, "total": row_total}
                for band, row, row_total in zip(pyramid["bands"], pyramid_cells, pyramid_row_totals, strict=True)
            ],
            "totals": pyramid_col_totals,
            "total": pyramid_total,
        },
        "hidden_cells": hidden_cells,
        "runs": result.get("runs"),
    }


GENDER_LABELS = {"v": "vrouw", "m": "man", "x": "anders of onbekend"}


def gender_label(code: str) -> str:
    return {"v": _("vrouw"), "m": _("man"), "x": _("anders of onbekend")}.get(code, code)


# --- Charts -------------------------------------------------------------------------------------


def _number(value: float) -> str:
    return charts.dutch_number(round(value, 1))


def band_chart(
    years: Sequence[int],
    low: Sequence[float | None],
    middle: Sequence[float | None],
    high: Sequence[float | None],
    *,
    chart_id: str,
    title: str,
    description: str,
    width: int = 640,
    height: int = 300,
) -> str:
    """A line (P50) inside a shaded band (P10-P90) with a zero line; unlike charts.line_chart it allows
    negative values (a surplus is a negative gap). Text is escaped; the page shows the data table."""
    points = [(i, a, b, c) for i, (a, b, c) in enumerate(zip(low, middle, high, strict=True)) if b is not None]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="or-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" focusable="false">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
    )
    if not points:
        return (
            head + f'<text x="8" y="36" fill="{charts.TEXT_COLOUR}" font-size="16">{escape(description)}</text></svg>'
        )
    left, right, top, bottom = 72, 16, 16, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    every = [v for _, a, b, c in points for v in (a, b, c) if v is not None] + [0.0]
    lowest, highest = min(every), max(every)
    if highest - lowest < 1e-9:
        highest = lowest + 1
    pad = (highest - lowest) * 0.05
    lowest, highest = lowest - pad, highest + pad
    step = plot_w / max(len(years) - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + (highest - v) / (highest - lowest) * plot_h

    parts = [head]
    for tick in range(5):
        value = lowest + (highest - lowest) * tick / 4
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{width - right}" y2="{y(value):.1f}" '
            f'stroke="{charts.GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(value):.1f}" dominant-baseline="middle" text-anchor="end" '
            f'fill="{charts.TEXT_COLOUR}" font-size="12">{escape(_number(value))}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="{charts.AXIS_COLOUR}" '
        'stroke-width="1.5"/>'
    )
    labels_every = max(1, -(-len(years) * 48 // plot_w))
    for i, year in enumerate(years):
        if i % labels_every and i != len(years) - 1:
            continue
        parts.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle" fill="{charts.TEXT_COLOUR}" '
            f'font-size="12">{escape(str(year))}</text>'
        )
    band = [(i, a, c) for i, a, _b, c in points if a is not None and c is not None]
    if len(band) > 1:
        outline = [f"{x(i):.1f},{y(c):.1f}" for i, _a, c in band] + [
            f"{x(i):.1f},{y(a):.1f}" for i, a, _c in band[::-1]
        ]
        parts.append(f'<polygon points="{" ".join(outline)}" fill="#1f4e79" fill-opacity="0.18" stroke="none"/>')
    line = " ".join(f"{x(i):.1f},{y(b):.1f}" for i, _a, b, _c in points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{charts.BAR_COLOUR}" stroke-width="2.5"/>')
    for i, _a, b, _c in points:
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(b):.1f}" r="4" fill="{charts.BAR_COLOUR}"/>')
    legend_y = top + plot_h + 40
    parts.append(
        f'<rect x="{left}" y="{legend_y - 7}" width="32" height="14" fill="#1f4e79" fill-opacity="0.18"/>'
        f'<line x1="{left}" y1="{legend_y}" x2="{left + 32}" y2="{legend_y}" stroke="{charts.BAR_COLOUR}" '
        'stroke-width="2.5"/>'
        f'<text x="{left + 40}" y="{legend_y}" dominant-baseline="middle" fill="{charts.TEXT_COLOUR}" '
        f'font-size="14">{escape(_("verwacht (P50), vlak: 80%-band P10-P90"))}</text></svg>'
    )
    return "".join(parts)


def summary_charts(summary: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """The SVG charts of a summary (the pages mark them safe: all text is escaped)."""
    years = summary["years"]
    rows = summary["total_rows"]
    supply_demand = charts.line_chart(
        [str(year) for year in years],
        [
            charts.Series(_("Vraag (fte)"), [row["demand"]["v"] for row in rows]),
            charts.Series(_("Aanbod (fte)"), [row["supply"]["v"] for row in rows]),
        ],
        chart_id=f"{prefix}aanbod-vraag",
        title=_("Vraag en aanbod per jaar (fte, verwacht)"),
        description=_("Verwachte vraag en verwacht aanbod in fte per jaar; de tabel eronder geeft de cijfers."),
        empty_text=_("Geen cijfers (minder dan 5 personen)."),
        number_format=_number,
    )
    gap = band_chart(
        years,
        [row["gap_band"][0]["v"] for row in rows],
        [row["gap_band"][1]["v"] for row in rows],
        [row["gap_band"][2]["v"] for row in rows],
        chart_id=f"{prefix}tekort",
        title=_("Tekort per jaar (fte) met onzekerheidsband"),
        description=_(
            "Tekort is vraag min aanbod; boven nul een tekort, onder nul een overschot. De band loopt van P10 "
            "tot P90. De tabel eronder geeft de cijfers."
        ),
    )
    retirements = charts.bar_chart(
        [(str(row["year"]), row["retirements"]["v"]) for row in summary["flows"]],
        chart_id=f"{prefix}pensioen",
        title=_("Pensioneringen per jaar (personen, verwacht)"),
        description=_("Verwacht aantal medewerkers dat per jaar met pensioen gaat; de tabel eronder geeft de cijfers."),
        empty_text=_("Geen cijfers."),
        label_width=80,
        number_format=_number,
    )
    pyramid = charts.bar_chart(
        [(row["band"], row["total"]["v"]) for row in summary["pyramid"]["rows"]],
        chart_id=f"{prefix}leeftijd",
        title=_("Medewerkers per leeftijdsgroep"),
        description=_("Aantal medewerkers per leeftijdsgroep op de peildatum; de tabel eronder splitst naar geslacht."),
        empty_text=_("Geen cijfers."),
        label_width=80,
        number_format=_number,
    )
    shortage = charts.bar_chart(
        [(row["name"], row["ranking_gap"]["v"]) for row in summary["ranking"] if row["ranking_gap"]["v"] > 0],
        chart_id=f"{prefix}tekortvakken",
        title=_("Tekortvakken in %(year)s (fte)") % {"year": summary["ranking_year"]},
        description=_("Vakken met een verwacht tekort, grootste eerst; de tabel eronder geeft ook de band."),
        empty_text=_("Geen vak met een verwacht tekort."),
        label_width=200,
        number_format=_number,
    )
    return {
        "supply_demand": supply_demand,
        "gap": gap,
        "retirements": retirements,
        "pyramid": pyramid,
        "shortage": shortage,
    }


# --- Tables as rows (XLSX and the report) --------------------------------------------------------


def value(cell: dict[str, Any]) -> float | str | None:
    """A cell for a spreadsheet or document: the number, or the suppression mark."""
    return cell["v"] if cell["v"] is not None else (cell["s"] or None)


def total_table(summary: dict[str, Any]) -> tuple[list[str], list[list]]:
    headers = [
        _("Jaar"),
        _("Vraag (fte)"),
        _("Aanbod (fte)"),
        _("Tekort (fte)"),
        _("Tekort P10"),
        _("Tekort P50"),
        _("Tekort P90"),
    ]
    rows = [
        [
            row["year"],
            value(row["demand"]),
            value(row["supply"]),
            value(row["gap"]),
            *(value(cell) for cell in row["gap_band"]),
        ]
        for row in summary["total_rows"]
    ]
    return headers, rows


def flows_table(summary: dict[str, Any]) -> tuple[list[str], list[list]]:
    headers = [_("Jaar"), _("Pensioen (personen)"), _("Overige uitstroom"), _("Instroom")]
    rows = [
        [row["year"], value(row["retirements"]), value(row["outflow"]), value(row["inflow"])]
        for row in summary["flows"]
    ]
    return headers, rows


def subject_table(summary: dict[str, Any]) -> tuple[list[str], list[list], list]:
    headers = [_("Vak"), *(str(year) for year in summary["years"])]
    rows = [[row["name"], *(value(cell) for cell in row["cells"])] for row in summary["subject_rows"]]
    footer = [_("Totaal onderwijsgevend"), *(value(cell) for cell in summary["subject_totals"])]
    return headers, rows, footer


def ranking_table(summary: dict[str, Any]) -> tuple[list[str], list[list]]:
    headers = [_("Rang"), _("Vak"), _("Tekort (fte)"), _("P10"), _("P90")]
    rows = [
        [index, row["name"], value(row["ranking_gap"]), value(row["ranking_band"][0]), value(row["ranking_band"][2])]
        for index, row in enumerate(summary["ranking"], start=1)
    ]
    return headers, rows


def pyramid_table(summary: dict[str, Any]) -> tuple[list[str], list[list], list]:
    pyramid = summary["pyramid"]
    headers = [_("Leeftijd"), *(gender_label(code) for code in pyramid["genders"]), _("Totaal")]
    rows = [[row["band"], *(value(cell) for cell in row["cells"]), value(row["total"])] for row in pyramid["rows"]]
    footer = [_("Totaal"), *(value(cell) for cell in pyramid["totals"]), value(pyramid["total"])]
    return headers, rows, footer


def assumption_rows(values: dict[str, float], side_entrants_source: str = "region") -> tuple[list[str], list[list]]:
    from .assumptions import CATALOGUE

    headers = [_("Aanname"), _("Waarde"), _("Eenheid"), _("Bron")]
    rows = []
    for entry in CATALOGUE:
        source = f"{entry.source} {entry.url}".strip()
        if entry.key == "side_entrants_per_year" and side_entrants_source == "desk":
            source = str(
                _(
                    "Geteld in het loket: zij-instromers en statushouders die de afgelopen 12 maanden op een school begonnen"
                )
            )
        rows.append([str(entry.label), values.get(entry.key, entry.default), str(entry.unit), source])
    return headers, rows


def lever_rows(levers: dict[str, float]) -> list[list]:
    from .scenarios import LEVERS

    return [
        [str(lever.label), lever.to_display(levers.get(lever.key, 0.0)), str(lever.unit)]
        for lever in LEVERS
        if levers.get(lever.key, 0.0)
    ]


def comparison_rows(comparison: dict[str, Any]) -> tuple[list[str], list[list]]:
    headers = [_("Vak"), *(column["name"] for column in comparison["columns"])]
    for column in comparison["columns"][1:]:
        headers.append(_("Effect %(name)s") % {"name": column["name"]})
    rows = []
    for row in comparison["rows"]:
        rows.append([row["name"], *(value(cell) for cell in row["cells"]), *(value(cell) for cell in row["effects"])])
    return headers, rows


# --- XLSX -----------------------------------------------------------------------------------------


def _xlsx_cell(cell: Any) -> Any:
    # A text starting with = + - @ would run as a formula; "–" and "<5" are safe, names are escaped.
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"):
        return "'" + cell
    return cell


def xlsx_bytes(summary: dict[str, Any], *, title: str, meta: list[tuple[str, str]], inputs: dict[str, Any]) -> bytes:
    """A workbook with the sheets summary, per subject, per year, bands and the assumptions used."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)

    def sheet(name: str, headers: Sequence, rows: Sequence[Sequence], footer: Sequence | None = None) -> None:
        ws = workbook.create_sheet(title=name[:31])
        ws.append([_xlsx_cell(str(h)) for h in headers])
        for row in rows:
            ws.append([_xlsx_cell(c) for c in row])
        if footer:
            ws.append([_xlsx_cell(c) for c in footer])

    k = summary["ranking_index"]
    total = summary["total_rows"][k]
    overview = [[title, ""], *[[label, text] for label, text in meta]]
    overview += [
        [_("Jaar van de rangorde"), summary["ranking_year"]],
        [_("Tekort in dat jaar (fte)"), value(total["gap"])],
        [_("Tekort P10-P90"), f"{value(total['gap_band'][0])} – {value(total['gap_band'][2])}"],
    ]
    if summary["regional"]:
        overview.append([_("Onderdrukking"), suppression_note()])
    sheet(_("Samenvatting"), [_("Onderdeel"), _("Waarde")], overview)
    headers, rows, footer = subject_table(summary)
    sheet(_("Per vak"), headers, rows, footer)
    headers, rows = total_table(summary)
    flows_headers, flows = flows_table(summary)
    sheet(_("Per jaar"), headers + flows_headers[1:], [a + b[1:] for a, b in zip(rows, flows, strict=True)])
    band_headers = [_("Jaar"), _("Onderdeel"), "P10", "P50", "P90"]
    band_rows = []
    for row in summary["total_rows"]:
        for label, key in ((_("Aanbod"), "supply_band"), (_("Vraag"), "demand_band"), (_("Tekort"), "gap_band")):
            band_rows.append([row["year"], label, *(value(cell) for cell in row[key])])
    for row in summary["ranking"]:
        band_rows.append(
            [summary["ranking_year"], _("Tekort %(name)s") % {"name": row["name"]}, *map(value, row["ranking_band"])]
        )
    sheet(_("Banden"), band_headers, band_rows)
    headers, rows = assumption_rows(inputs.get("assumption_values", {}), inputs.get("side_entrants_source", "region"))
    rows += [
        [f"{_('Scenario')}: {label}", number, unit, ""] for label, number, unit in lever_rows(inputs.get("levers", {}))
    ]
    sheet(_("Aannames"), headers, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- The report -----------------------------------------------------------------------------------


def suppression_note() -> str:
    return _(
        "Regionale cijfers over minder dan 5 personen zijn weggelaten (<5), ook als de andere besturen "
        "samen minder dan 5 personen in een cel hebben. Waar zo'n cel uit een totaal terug te rekenen zou zijn, "
        "is nog een cel weggelaten (–)."
    )


def method_note() -> str:
    return _(
        "De prognose volgt elk jaar de medewerkers uit het personeelsbestand: pensioen bij de AOW-leeftijd, "
        "overige uitstroom naar leeftijd en jaren bij het bestuur, instroom van pas afgestudeerden, "
        "zij-instromers en mobiliteit. De vraag volgt de leerlingprognose, het ziekteverzuim en het verborgen "
        "tekort. Een Monte Carlo-berekening met %(runs)s trekkingen geeft de onzekerheid: de P10-P90-band "
        "bevat in 8 van de 10 trekkingen de uitkomst. Wie meer vakken geeft, telt in elk vak mee met een "
        "gelijk deel van zijn fte."
    )


def build_report(
    *,
    title: str,
    organisation: str,
    summary: dict[str, Any],
    inputs: dict[str, Any],
    scenario_name: str,
    comparison: dict[str, Any] | None = None,
) -> Report:
    """The DOCX/PDF report for a board's strategic personnel plan (or a region's, suppressed)."""
    report = Report(
        title=title,
        subtitle=_("Strategische personeelsplanning: prognose van vraag, aanbod en tekort"),
        organisation=organisation,
        meta=[
            (_("Bestuur of regio"), organisation),
            (_("Scenario"), scenario_name),
            (_("Basisjaar"), str(inputs.get("base_year", ""))),
            (_("Trekkingen"), str(inputs.get("runs", ""))),
        ],
    )
    if inputs.get("is_synthetic"):
        report.add(
            Notice(
                _(
                    "Synthetische gegevens: dit rapport is gemaakt met een gegenereerd demobestand, niet met echte medewerkers."
                )
            )
        )
    if summary["regional"]:
        report.add(Notice(suppression_note()))
    snapshots = inputs.get("snapshots", [])
    report.add(
        Heading(_("Context")),
        Paragraph(
            _(
                "Deze prognose gaat uit van %(count)s personeelsbestand(en) met peildatum %(dates)s en de "
                "leerlingprognose per schoolvestiging (DUO-trend of eigen prognose)."
            )
            % {
                "count": len(snapshots),
                "dates": ", ".join(sorted({entry["reference_date"] for entry in snapshots})),
            }
        ),
    )
    headers, rows = assumption_rows(inputs.get("assumption_values", {}), inputs.get("side_entrants_source", "region"))
    report.add(
        Heading(_("Aannames en bronnen")), Table(_("Aannames van het model"), headers, rows, numeric=frozenset({1}))
    )
    levers = lever_rows(inputs.get("levers", {}))
    if levers:
        report.add(
            Table(_("Knoppen van het scenario"), [_("Knop"), _("Waarde"), _("Eenheid")], levers, numeric=frozenset({1}))
        )
    chart_svgs = summary_charts(summary, prefix="rapport-")
    headers, rows = total_table(summary)
    report.add(
        Heading(_("Uitkomsten")),
        Chart(
            chart_svgs["gap"],
            Table(_("Vraag, aanbod en tekort per jaar (fte)"), headers, rows, numeric=frozenset(range(1, 7))),
        ),
    )
    headers, rows = flows_table(summary)
    report.add(
        Chart(
            chart_svgs["retirements"],
            Table(
                _("Pensioen, uitstroom en instroom per jaar (personen)"), headers, rows, numeric=frozenset({1, 2, 3})
            ),
        )
    )
    headers, rows, footer = pyramid_table(summary)
    report.add(
        Chart(
            chart_svgs["pyramid"],
            Table(
                _("Leeftijdsopbouw op de peildatum"),
                headers,
                rows,
                numeric=frozenset(range(1, len(headers))),
                footer=footer,
            ),
        )
    )
    headers, rows, footer = subject_table(summary)
    report.add(
        Table(
            _("Tekort per vak per jaar (fte)"), headers, rows, numeric=frozenset(range(1, len(headers))), footer=footer
        )
    )
    headers, rows = ranking_table(summary)
    report.add(
        Chart(
            chart_svgs["shortage"],
            Table(
                _("Tekortvakken in %(year)s (fte)") % {"year": summary["ranking_year"]},
                headers,
                rows,
                numeric=frozenset({0, 2, 3, 4}),
            ),
        )
    )
    if comparison:
        headers, rows = comparison_rows(comparison)
        report.add(
            Heading(_("Scenario's vergeleken")),
            Table(
                _("Tekort per vak in %(year)s (fte) per scenario, en het effect ten opzichte van de basis")
                % {"year": comparison["year"]},
                headers,
                rows,
                numeric=frozenset(range(1, len(headers))),
            ),
        )
    report.add(Heading(_("Methode")), Paragraph(method_note() % {"runs": inputs.get("runs", "")}))
    if summary["regional"]:
        report.add(Heading(_("Onderdrukking van kleine aantallen")), Paragraph(suppression_note()))
    return report


def compare(results: Sequence[tuple[str, dict[str, Any]]], *, regional: bool) -> dict[str, Any]:
    """The gap per teaching subject in the ranking year for each scenario (the first is the baseline),
    and each scenario's effect on it; in a region, suppressed like the subject table."""
    years = results[0][1]["years"]
    k = ranking_index(years)
    groups: dict[str, dict[str, Any]] = {}
    for _name, result in results:
        for group in result["by_group"]:
            if group["function"] == Function.TEACHING:
                groups.setdefault(group["subject"], group)
    codes = sorted(groups)
    names = subject_names(codes)
    gap_of = [
        {g["subject"]: g["gap"][k] for g in result["by_group"] if g["function"] == Function.TEACHING}
        for _name, result in results
    ]
    values = [[gaps.get(code, 0.0) for gaps in gap_of] for code in codes]
    if regional and codes:
        several_boards = len(results[0][1].get("by_board", [])) > 1
        table = suppression.suppress_table(
            values,
            [[groups[code]["persons"]] * len(results) for code in codes],
            row_totals=False,
            column_totals=True,
            largest=[[groups[code].get("largest_board_persons", 0)] * len(results) for code in codes]
            if several_boards
            else None,
            column_total_counts=[results[0][1]["by_function"].get(Function.TEACHING, 0)] * len(results),
        )
        cells = [[_from(cell) for cell in row] for row in table.cells]
        totals = [_from(cell) for cell in table.column_totals]
    else:
        cells = [[_cell(v) for v in row] for row in values]
        totals = [_cell(sum(row[i] for row in values)) for i in range(len(results))] if values else []
    rows = []
    for code, row_cells in zip(codes, cells, strict=True):
        base = row_cells[0]["v"]
        effects = [
            _cell(cell["v"] - base)
            if cell["v"] is not None and base is not None
            else _cell(None, suppression.SECONDARY)
            for cell in row_cells[1:]
        ]
        rows.append({"code": code, "name": names[code], "cells": row_cells, "effects": effects})
    base_total = totals[0]["v"] if totals else None
    total_effects = [
        _cell(cell["v"] - base_total)
        if cell["v"] is not None and base_total is not None
        else _cell(None, suppression.SECONDARY)
        for cell in totals[1:]
    ]
    return {
        "year": years[k],
        "columns": [{"name": name} for name, _result in results],
        "rows": rows,
        "totals": totals,
        "total_effects": total_effects,
    }
