"""The monitoring report and the settlement report of a pool, as core.documents Reports (DOCX and PDF).

The monitoring questions are turned into `Section`s here: a heading, an explanation, SVG charts and
the tables with the same figures. The dashboard page renders these sections as HTML and the report
renders them to Word and PDF, so the page and the documents never disagree. The documents hold no
member names (they are meant to be shared between boards); the page adds names for a viewer who may
see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onderwijsregio.core.documents import Chart, Heading, Notice, Paragraph, Report, Table
from onderwijsregio.organisations import charts

from . import monitoring
from .models import SettlementLine, SettlementRun
from .services.settlement import SettlementTotals


def number(value: float | Decimal | int | None, decimals: int = 1) -> str:
    """A figure as Dutch readers write it (1.234,5); a dash when there is none."""
    if value is None:
        return "—"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def whole(value: int | float | None) -> str:
    return "—" if value is None else number(value, 0)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{number(value, 1)}%"


def euro(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    sign = "−" if value < 0 else ""
    return f"{sign}€ {number(abs(value), 2)}"


def _chart_number(value: float) -> str:
    return number(value, 0 if float(value).is_integer() else 1)


@dataclass
class Section:
    """One monitoring question: explanation, charts (each with its table) and further tables."""

    key: str
    title: str
    intro: str
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _bar(items, *, chart_id: str, title: str, description: str, table: Table, empty: str) -> Chart:
    svg = charts.bar_chart(
        [(label, float(value) if value is not None else None) for label, value in items],
        chart_id=chart_id,
        title=title,
        description=description,
        empty_text=empty,
        label_width=220,
        number_format=_chart_number,
    )
    return Chart(svg=svg, table=table)


def _line(labels, series, *, chart_id: str, title: str, description: str, table: Table, empty: str) -> Chart:
    svg = charts.line_chart(
        labels,
        series,
        chart_id=chart_id,
        title=title,
        description=description,
        empty_text=empty,
        number_format=_chart_number,
    )
    return Chart(svg=svg, table=table)


def demand_section(report: monitoring.DemandReport) -> Section:
    reasons = list(report.reason_series)
    month_table = Table(
        caption=_("Aanvragen per maand van de eerste vervangingsdag, naar reden"),
        headers=[_("Maand"), _("Aanvragen"), _("Lesuren per week"), *reasons],
        rows=[
            [
                row.label,
                whole(row.requests),
                number(row.hours_per_week),
                *(whole(report.reason_series[r][i]) for r in reasons),
            ]
            for i, row in enumerate(report.months)
        ],
        numeric=frozenset(range(1, 3 + len(reasons))),
        footer=[
            _("Totaal"),
            whole(report.total),
            number(sum(row.hours_per_week for row in report.months)),
            *(whole(sum(report.reason_series[r])) for r in reasons),
        ],
    )
    labels = [row.label for row in report.months]
    series = [charts.Series(_("Alle aanvragen"), [row.requests for row in report.months])]
    series += [charts.Series(label, counts) for label, counts in report.reason_series.items()]
    subject_table = Table(
        caption=_("Aanvragen per vak"),
        headers=[_("Vak"), _("Aanvragen"), _("Lesuren per week")],
        rows=[[row.label, whole(row.requests), number(row.hours_per_week)] for row in report.by_subject],
        numeric=frozenset({1, 2}),
    )
    level_table = Table(
        caption=_("Aanvragen per niveau (een aanvraag voor meer niveaus telt bij elk niveau)"),
        headers=[_("Niveau"), _("Aanvragen"), _("Lesuren per week")],
        rows=[[row.label, whole(row.requests), number(row.hours_per_week)] for row in report.by_level],
        numeric=frozenset({1, 2}),
    )
    reason_table = Table(
        caption=_("Aanvragen per reden (alleen de soort, nooit medische gegevens)"),
        headers=[_("Reden"), _("Aanvragen"), _("Lesuren per week")],
        rows=[[row.label, whole(row.requests), number(row.hours_per_week)] for row in report.by_reason],
        numeric=frozenset({1, 2}),
    )
    return Section(
        key="vraag",
        title=_("Vraag naar vervanging"),
        intro=_(
            "Hoeveel vervangingsaanvragen de scholen deden, per maand waarin de vervanging begint, per vak, "
            "niveau en reden. Ingetrokken aanvragen tellen niet mee."
        ),
        charts=[
            _line(
                labels,
                series,
                chart_id="vraag-per-maand",
                title=_("Aanvragen per maand"),
                description=_(
                    "Aantal aanvragen per maand, in totaal en per reden. De tabel eronder geeft dezelfde cijfers."
                ),
                table=month_table,
                empty=_("Geen aanvragen in deze periode."),
            ),
            _bar(
                [(row.label, row.requests) for row in report.by_subject],
                chart_id="vraag-per-vak",
                title=_("Aanvragen per vak"),
                description=_("Aantal aanvragen per vak. De tabel eronder geeft dezelfde cijfers."),
                table=subject_table,
                empty=_("Geen aanvragen in deze periode."),
            ),
        ],
        tables=[level_table, reason_table],
    )


def fill_section(report: monitoring.FillReport) -> Section:
    month_table = Table(
        caption=_("Invulgraad per maand van de eerste vervangingsdag"),
        headers=[_("Maand"), _("Aanvragen"), _("Ingevuld"), _("Invulgraad")],
        rows=[[row.label, whole(row.requests), whole(row.filled), percent(row.rate)] for row in report.months],
        numeric=frozenset({1, 2, 3}),
        footer=[_("Totaal"), whole(report.total), whole(report.filled), percent(report.fill_rate)],
    )
    summary = Table(
        caption=_("Invulling van de aanvragen"),
        headers=[_("Onderdeel"), _("Waarde")],
        rows=[
            [_("Aanvragen"), whole(report.total)],
            [_("Volledig ingevuld"), whole(report.filled)],
            [_("Gedeeltelijk ingevuld"), whole(report.partially_filled)],
            [_("Niet ingevuld"), whole(report.unfilled)],
            [_("Nog in behandeling"), whole(report.still_open)],
            [_("Invulgraad (aanvragen)"), percent(report.fill_rate)],
            [_("Invulgraad (lesuren per week)"), percent(report.hours_fill_rate)],
            [_("Mediaan dagen tot invulling"), number(report.median_days_to_fill)],
            [_("75% ingevuld binnen (dagen)"), number(report.p75_days_to_fill)],
        ],
        numeric=frozenset({1}),
    )
    return Section(
        key="invulling",
        title=_("Invulgraad en tijd tot invulling"),
        intro=_(
            "Welk deel van de aanvragen volledig werd ingevuld, en hoeveel dagen er lagen tussen de aanvraag en "
            "de invulling (mediaan en 75e percentiel)."
        ),
        charts=[
            _line(
                [row.label for row in report.months],
                [charts.Series(_("Invulgraad (%)"), [row.rate for row in report.months])],
                chart_id="invulgraad",
                title=_("Invulgraad per maand"),
                description=_(
                    "Percentage volledig ingevulde aanvragen per maand. De tabel eronder geeft dezelfde cijfers."
                ),
                table=month_table,
                empty=_("Geen aanvragen in deze periode."),
            )
        ],
        tables=[summary],
    )


def lost_section(report: monitoring.LostReport) -> Section:
    table = Table(
        caption=_("Niet ingevulde werkdagen en verloren lesuren per vak"),
        headers=[_("Vak"), _("Aanvragen"), _("Werkdagen zonder invaller"), _("Verloren lesuren")],
        rows=[[row.label, whole(row.requests), whole(row.days), number(row.lesson_hours)] for row in report.by_subject],
        numeric=frozenset({1, 2, 3}),
        footer=[_("Totaal"), whole(report.total.requests), whole(report.total.days), number(report.total.lesson_hours)],
    )
    return Section(
        key="uitval",
        title=_("Niet ingevulde dagen en verloren lesuren"),
        intro=_(
            "Aanvragen waarvan de vervanging al begonnen is maar die niet (volledig) zijn ingevuld: de werkdagen "
            "tot gisteren en de lesuren die daardoor verloren gingen (open uren per week × werkdagen / 5)."
        ),
        charts=[
            _bar(
                [(row.label, row.lesson_hours) for row in report.by_subject],
                chart_id="verloren-lesuren",
                title=_("Verloren lesuren per vak"),
                description=_("Verloren lesuren per vak. De tabel eronder geeft dezelfde cijfers."),
                table=table,
                empty=_("Geen verloren lesuren in deze periode."),
            )
        ],
    )


def utilisation_section(report: monitoring.UtilisationReport, *, with_names: bool = False) -> Section:
    bucket_table = Table(
        caption=_("Poolleden naar benutting van hun beschikbare uren"),
        headers=[_("Benutting"), _("Poolleden")],
        rows=[[label, whole(count)] for label, count in report.buckets],
        numeric=frozenset({1}),
        footer=[_("Totaal"), whole(report.members)],
    )
    employer_table = Table(
        caption=_("Benutting per werkgever"),
        headers=[
            _("Werkgever"),
            _("Poolleden"),
            _("Beschikbare uren"),
            _("Ingezette uren"),
            _("Benutting"),
            _("Zonder inzet in periode"),
            _("Nooit ingezet"),
        ],
        rows=[
            [
                row.label,
                whole(row.members),
                number(row.capacity_hours),
                number(row.assigned_hours),
                percent(row.utilisation),
                whole(row.without_work),
                whole(row.never_worked),
            ]
            for row in report.by_employer
        ],
        numeric=frozenset(range(1, 7)),
        footer=[
            report.total.label,
            whole(report.total.members),
            number(report.total.capacity_hours),
            number(report.total.assigned_hours),
            percent(report.total.utilisation),
            whole(report.total.without_work),
            whole(report.total.never_worked),
        ],
    )
    section = Section(
        key="benutting",
        title=_("Benutting van poolleden"),
        intro=_(
            "Ingezette lesuren in de periode gedeeld door de uren die poolleden voor de pool beschikbaar zijn "
            "(uren per week × werkweken), en wie nog nooit is ingezet."
        ),
        charts=[
            _bar(
                report.buckets,
                chart_id="benutting",
                title=_("Poolleden naar benutting"),
                description=_(
                    "Aantal actieve poolleden per benuttingsklasse. De tabel eronder geeft dezelfde cijfers."
                ),
                table=bucket_table,
                empty=_("Nog geen poolleden."),
            )
        ],
        tables=[employer_table],
    )
    if with_names and report.never_worked_named:
        section.tables.append(
            Table(
                caption=_("Poolleden die nog nooit zijn ingezet (die u mag zien)"),
                headers=[_("Poollid"), _("Werkgever"), _("Beschikbaar in periode (uren)")],
                rows=[[row.name, row.employer, number(row.capacity_hours)] for row in report.never_worked_named],
                numeric=frozenset({2}),
            )
        )
    if report.never_worked_other:
        section.notes.append(
            ngettext(
                "Daarnaast is %(count)s poollid van een andere werkgever nog nooit ingezet.",
                "Daarnaast zijn %(count)s poolleden van andere werkgevers nog nooit ingezet.",
                report.never_worked_other,
            )
            % {"count": report.never_worked_other}
        )
    return section


def fairness_section(report: monitoring.FairnessReport) -> Section:
    table = Table(
        caption=_("Ontvangen en geleverde lesuren per bestuur, tegen het aandeel in de verdeelsleutel"),
        headers=[
            _("Bestuur"),
            _("Ontvangen uren"),
            _("Geleverde uren"),
            _("Aandeel ontvangen"),
            _("Aandeel in sleutel"),
            _("Verschil (procentpunt)"),
            _("Geleverd per ontvangen uur"),
        ],
        rows=[
            [
                row.label,
                number(row.hours_received),
                number(row.hours_supplied),
                percent(row.received_share),
                percent(row.key_share),
                number(row.difference),
                number(row.supplied_per_received, 2),
            ]
            for row in report.rows
        ],
        numeric=frozenset(range(1, 7)),
        footer=[
            _("Totaal"),
            number(report.total_hours),
            number(sum(row.hours_supplied for row in report.rows)),
            "",
            "",
            "",
            "",
        ],
    )
    supplied = Table(
        caption=_("Geleverde lesuren per bestuur of werkgever"),
        headers=[_("Bestuur"), _("Geleverde uren")],
        rows=[[row.label, number(row.hours_supplied)] for row in report.rows],
        numeric=frozenset({1}),
    )
    return Section(
        key="eerlijkheid",
        title=_("Eerlijkheid per bestuur"),
        intro=_(
            "Geplande lesuren van de inzetten in de periode: welk deel elk bestuur ontving tegenover zijn aandeel "
            "in de verdeelsleutel (%(key)s), en hoeveel het zelf leverde."
        )
        % {"key": report.key_label},
        charts=[
            _bar(
                [(row.label, row.hours_received) for row in report.rows],
                chart_id="ontvangen-uren",
                title=_("Ontvangen lesuren per bestuur"),
                description=_("Ontvangen lesuren per bestuur. De tabel eronder geeft dezelfde cijfers met de sleutel."),
                table=table,
                empty=_("Nog geen deelnemende besturen."),
            ),
            _bar(
                [(row.label, row.hours_supplied) for row in report.rows],
                chart_id="geleverde-uren",
                title=_("Geleverde lesuren per bestuur"),
                description=_("Geleverde lesuren per bestuur of werkgever. De tabel eronder geeft dezelfde cijfers."),
                table=supplied,
                empty=_("Nog geen deelnemende besturen."),
            ),
        ],
    )


def warnings_section(report: monitoring.WarningsReport, *, with_names: bool = False) -> Section:
    counts_table = Table(
        caption=_("Waarschuwingen per soort"),
        headers=[_("Waarschuwing"), _("Poolleden")],
        rows=[[label, whole(count)] for label, count in report.counts],
        numeric=frozenset({1}),
    )
    hidden = _("poollid van een ander bestuur")
    name_header = [_("Poollid")] if with_names else []
    chain_table = Table(
        caption=_("Ketenregeling: poolleden met het maximum min één of meer tijdelijke contracten"),
        headers=[
            *name_header,
            _("Werkgever"),
            _("Bij bestuur"),
            _("Contracten in venster"),
            _("Maximum"),
            _("Venster (maanden)"),
        ],
        rows=[
            [
                *([row.name or hidden] if with_names else []),
                row.employer,
                row.board,
                whole(row.contracts),
                whole(row.maximum),
                whole(row.window_months),
            ]
            for row in report.chain
        ],
        numeric=frozenset(range(len(name_header) + 2, len(name_header) + 5)),
    )
    kinds = {
        "missing": _("geen VOG bekend"),
        "expired": _("verlopen"),
        "expiring": _("verloopt binnen 60 dagen"),
    }
    vog_table = Table(
        caption=_("VOG: verlopen, bijna verlopen of onbekend"),
        headers=[*name_header, _("Werkgever"), _("Datum VOG"), _("Verloopt op"), _("Status")],
        rows=[
            [
                *([row.name or hidden] if with_names else []),
                row.employer,
                date_format(row.vog_date, "SHORT_DATE_FORMAT") if row.vog_date else "—",
                date_format(row.expires_on, "SHORT_DATE_FORMAT") if row.expires_on else "—",
                str(kinds[row.kind]),
            ]
            for row in report.vog
        ],
    )
    section = Section(
        key="waarschuwingen",
        title=_("Ketenregeling en VOG"),
        intro=_(
            "Actieve poolleden die bij een bestuur nog één tijdelijk contract mogen krijgen of het maximum hebben "
            "bereikt (volgens de ketenregeling van dat bestuur), en poolleden van wie de VOG verlopen is, binnen "
            "60 dagen verloopt of onbekend is."
        ),
        charts=[
            _bar(
                report.counts,
                chart_id="waarschuwingen",
                title=_("Waarschuwingen per soort"),
                description=_("Aantal poolleden per soort waarschuwing. De tabel eronder geeft dezelfde cijfers."),
                table=counts_table,
                empty=_("Geen waarschuwingen."),
            )
        ],
        tables=[chain_table, vog_table],
    )
    if not report.vog_expires:
        section.notes.append(_("In deze pool verloopt een VOG niet; er zijn daarom geen VOG-waarschuwingen."))
    return section


def savings_section(report: monitoring.SavingsReport) -> Section:
    def money_row(row: monitoring.SavingsRow) -> list[str]:
        return [row.label, number(row.hours), euro(row.payroll_cost), euro(row.agency_cost), euro(row.savings)]

    headers = [_("Uren"), _("Kosten eigen personeel"), _("Kosten via uitzendbureau"), _("Besparing")]
    month_table = Table(
        caption=_("Besparing per maand (bevestigde uren)"),
        headers=[_("Maand"), *headers],
        rows=[money_row(row) for row in report.months],
        numeric=frozenset({1, 2, 3, 4}),
        footer=money_row(report.total),
    )
    board_table = Table(
        caption=_("Besparing per ontvangend bestuur (bevestigde uren)"),
        headers=[_("Bestuur"), *headers],
        rows=[money_row(row) for row in report.by_board],
        numeric=frozenset({1, 2, 3, 4}),
        footer=money_row(report.total),
    )
    return Section(
        key="besparing",
        title=_("Besparing ten opzichte van uitzendtarieven"),
        intro=_(
            "Bevestigde uren tegen het tarief voor eigen personeel (%(payroll)s per uur) vergeleken met wat dezelfde "
            "uren via een uitzendbureau hadden gekost (%(agency)s per uur, inclusief btw)."
        )
        % {"payroll": euro(report.payroll_rate), "agency": euro(report.agency_rate)},
        charts=[
            _line(
                [row.label for row in report.months],
                [charts.Series(_("Besparing (€)"), [float(row.savings) for row in report.months])],
                chart_id="besparing",
                title=_("Besparing per maand"),
                description=_("Besparing in euro per maand. De tabel eronder geeft dezelfde cijfers."),
                table=month_table,
                empty=_("Nog geen bevestigde uren in deze periode."),
            )
        ],
        tables=[board_table],
    )


def subregion_section(rows: list[monitoring.SubRegionRow]) -> Section:
    table = Table(
        caption=_("Aanvragen en invulgraad per subregio van de school"),
        headers=[_("Subregio"), _("Aanvragen"), _("Ingevuld"), _("Invulgraad"), _("Lesuren per week")],
        rows=[
            [row.label, whole(row.requests), whole(row.filled), percent(row.fill_rate), number(row.hours_per_week)]
            for row in rows
        ],
        numeric=frozenset({1, 2, 3, 4}),
        footer=[
            _("Totaal"),
            whole(sum(row.requests for row in rows)),
            whole(sum(row.filled for row in rows)),
            percent(
                sum(row.filled for row in rows) / sum(row.requests for row in rows) * 100
                if sum(row.requests for row in rows)
                else None
            ),
            number(sum(row.hours_per_week for row in rows)),
        ],
    )
    return Section(
        key="subregio",
        title=_("Vergelijking van subregio's"),
        intro=_(
            "Aanvragen en invulgraad per subregio waarin de aanvragende school ligt: waar de pool al werkt en "
            "waar uitrol het meest oplevert."
        ),
        charts=[
            _bar(
                [(row.label, row.requests) for row in rows],
                chart_id="subregio",
                title=_("Aanvragen per subregio"),
                description=_(
                    "Aantal aanvragen per subregio. De tabel eronder geeft dezelfde cijfers met de invulgraad."
                ),
                table=table,
                empty=_("Deze regio heeft nog geen subregio's."),
            )
        ],
    )


def monitoring_sections(dashboard: monitoring.Dashboard, *, with_names: bool = False) -> list[Section]:
    """The eight monitoring questions, in the order of the issue."""
    return [
        demand_section(dashboard.demand),
        fill_section(dashboard.fill),
        lost_section(dashboard.lost),
        utilisation_section(dashboard.utilisation, with_names=with_names),
        fairness_section(dashboard.fairness),
        warnings_section(dashboard.warnings, with_names=with_names),
        savings_section(dashboard.savings),
        subregion_section(dashboard.subregions),
    ]


def monitoring_report(dashboard: monitoring.Dashboard) -> Report:
    """The monitoring report of a pool for a period (no member names: it is shared between boards)."""
    pool = dashboard.pool
    report = Report(
        title=_("Monitor invalpool"),
        subtitle=pool.name,
        organisation=pool.region.name,
        meta=[
            (_("Onderwijsregio"), pool.region.name),
            (_("Periode"), dashboard.period.label),
            (_("Verdeelsleutel"), str(pool.get_contribution_key_display())),
            (
                _("Tarieven"),
                _("eigen personeel %(payroll)s, uitzendbureau %(agency)s per uur")
                % {"payroll": euro(pool.payroll_rate), "agency": euro(pool.agency_rate)},
            ),
        ],
    )
    report.add(
        Paragraph(
            _(
                "Dit rapport beantwoordt de monitorvragen van de pilot: per vraag een toelichting, een grafiek en "
                "de tabel met dezelfde cijfers. Het bevat geen namen van poolleden."
            )
        )
    )
    for section in monitoring_sections(dashboard, with_names=False):
        report.add(Heading(section.title), Paragraph(section.intro))
        for chart in section.charts:
            report.add(chart)
        for table in section.tables:
            report.add(table)
        for note in section.notes:
            report.add(Notice(note))
    return report


# --- Settlement ---------------------------------------------------------------------------------


def settlement_tables(lines: list[SettlementLine], totals: SettlementTotals) -> tuple[Table, Table]:
    hours_table = Table(
        caption=_("Uren en besparing per bestuur"),
        headers=[
            _("Bestuur"),
            _("Uren ontvangen"),
            _("Uren geleverd"),
            _("Kosten ontvangen uren"),
            _("Kosten via uitzendbureau"),
            _("Besparing"),
        ],
        rows=[
            [
                line.board.name,
                number(line.hours_received, 2),
                number(line.hours_supplied, 2),
                euro(line.cost_received),
                euro(line.agency_cost_avoided),
                euro(line.savings),
            ]
            for line in lines
        ],
        numeric=frozenset(range(1, 6)),
        footer=[
            _("Totaal"),
            number(totals.hours_received, 2),
            number(totals.hours_supplied, 2),
            euro(totals.cost_received),
            euro(totals.agency_cost_avoided),
            euro(totals.savings),
        ],
    )
    balance_table = Table(
        caption=_("Bijdrage en saldo per bestuur (positief: het bestuur betaalt; negatief: het ontvangt)"),
        headers=[
            _("Bestuur"),
            _("Aandeel in sleutel"),
            _("Bijdrage volgens sleutel"),
            _("Waarde geleverde uren"),
            _("Saldo"),
        ],
        rows=[
            [
                line.board.name,
                percent(float(line.key_share) * 100),
                euro(line.contribution_due),
                euro(line.value_supplied),
                euro(line.balance),
            ]
            for line in lines
        ],
        numeric=frozenset(range(1, 5)),
        footer=[
            _("Totaal"),
            percent(float(totals.key_share) * 100),
            euro(totals.contribution_due),
            euro(totals.value_supplied),
            euro(totals.balance),
        ],
    )
    return hours_table, balance_table


def settlement_report(run: SettlementRun, lines: list[SettlementLine], totals: SettlementTotals) -> Report:
    pool = run.pool
    hours_table, balance_table = settlement_tables(lines, totals)
    report = Report(
        title=_("Afrekening invalpool"),
        subtitle=pool.name,
        organisation=pool.region.name,
        meta=[
            (_("Periode"), f"{date_format(run.period_start, 'j F Y')} – {date_format(run.period_end, 'j F Y')}"),
            (_("Uurtarief eigen personeel"), euro(run.payroll_rate)),
            (_("Uurtarief uitzendbureau (incl. btw)"), euro(run.agency_rate)),
            (_("Verdeelsleutel"), str(run.get_contribution_key_display())),
            (
                _("Uren"),
                _("alleen bevestigde uren") if run.only_confirmed_hours else _("ingevoerde en bevestigde uren"),
            ),
            (_("Opgesteld door"), run.created_by.get_full_name() if run.created_by else _("systeem")),
        ],
    )
    report.add(
        Heading(_("Uitgangspunten")),
        Paragraph(
            _(
                "Alle gewerkte uren in de periode kosten samen de uren maal het tarief voor eigen personeel. Elk "
                "bestuur draagt daaraan bij naar zijn aandeel in de verdeelsleutel; wat het zelf met eigen poolleden "
                "leverde, wordt verrekend tegen hetzelfde tarief. Het saldo is wat het bestuur betaalt (positief) of "
                "ontvangt (negatief); de saldi tellen op tot nul. De besparing is wat de ontvangen uren via een "
                "uitzendbureau hadden gekost, min de kosten tegen het tarief voor eigen personeel. Een week telt mee "
                "in de periode waarin de maandag valt."
            )
        ),
        Heading(_("Uren en besparing")),
        Chart(
            svg=charts.bar_chart(
                # A negative saving (agency cheaper than payroll) gets no bar; the table shows it.
                [(line.board.name, float(line.savings) if line.savings >= 0 else None) for line in lines],
                chart_id="besparing-per-bestuur",
                title=_("Besparing per bestuur"),
                description=_("Besparing in euro per bestuur. De tabel eronder geeft dezelfde cijfers."),
                empty_text=_("Geen besturen in deze afrekening."),
                label_width=220,
                number_format=lambda value: euro(Decimal(str(value))),
            ),
            table=hours_table,
        ),
        Heading(_("Bijdrage en saldo")),
        balance_table,
    )
    if totals.hours_received == 0:
        report.add(Notice(_("Er zijn in deze periode geen uren die meetellen; alle bedragen zijn nul.")))
    return report
