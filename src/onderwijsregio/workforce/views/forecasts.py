"""Forecast pages: a board's own forecast and a region's (suppressed) one, progress, comparison, downloads.

- /personeelsplanning/bestuur/<board_id>/prognose/ : the board's HR (workforce.manage_board).
- /personeelsplanning/regio/<region_slug>/prognose/ : regional team and HR of member boards (workforce.view_region);
  every figure goes through `suppression` (via `reports.summarise(regional=True)`).
Anyone else gets a 404: that a board's forecast exists is none of their business. Starting a forecast
queues a background job (`services.forecast_request`); the page polls its progress with htmx and
works without JavaScript through a "Vernieuwen" link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from onderwijsregio.core.documents import render_docx, render_pdf
from onderwijsregio.organisations.models import Organisation

from .. import reports, selectors, services
from ..forms import MAX_COMPARED, CompareForm, ForecastStartForm
from ..models import ForecastRun, Scenario
from ..selectors import scenarios_usable_for


@dataclass
class Subject:
    """The board or region a page is about, and what that means for it."""

    organisation: Organisation
    regional: bool

    @property
    def url_kwargs(self) -> dict:
        return {"region_slug": self.organisation.slug} if self.regional else {"board_id": self.organisation.pk}

    def url(self, name: str = "", **extra) -> str:
        return reverse(
            f"workforce:forecast_{'region' if self.regional else 'board'}{name}", kwargs={**self.url_kwargs, **extra}
        )


def _subject(request: HttpRequest, *, board_id: int | None = None, region_slug: str | None = None) -> Subject:
    if board_id is not None:
        organisation = get_object_or_404(Organisation, pk=board_id, kind=Organisation.Kind.BOARD)
        if not request.user.has_perm("workforce.manage_board", organisation):
            raise Http404
        return Subject(organisation, regional=False)
    organisation = get_object_or_404(Organisation, slug=region_slug, kind=Organisation.Kind.REGION)
    if not request.user.has_perm("workforce.view_region", organisation):
        raise Http404
    return Subject(organisation, regional=True)


def _scenario_from(request: HttpRequest, subject: Subject) -> Scenario | None:
    raw = request.GET.get("scenario") or ""
    if not raw:
        return None
    return scenarios_usable_for(organisation=subject.organisation).filter(pk=raw if raw.isdigit() else 0).first()


def _page_url(subject: Subject, scenario: Scenario | None) -> str:
    url = subject.url("")
    return f"{url}?scenario={scenario.pk}" if scenario else url


def _login_needed(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def forecast_page(request: HttpRequest, board_id: int | None = None, region_slug: str | None = None) -> HttpResponse:
    refused = _login_needed(request)
    if refused:
        return refused
    subject = _subject(request, board_id=board_id, region_slug=region_slug)
    organisation = subject.organisation
    error = ""
    if request.method == "POST":
        form = ForecastStartForm(request.POST, organisation=organisation)
        if form.is_valid():
            scenario = form.chosen()
            try:
                run = services.forecast_request(
                    subject_organisation=organisation, scenario=scenario, actor=request.user
                )
            except services.ForecastUnavailable as refused_reason:
                error = " ".join(refused_reason.messages)
            else:
                if run.status == ForecastRun.Status.SUCCEEDED:
                    messages.info(
                        request, _("Deze prognose was al berekend met dezelfde gegevens; u ziet de uitkomst.")
                    )
                else:
                    messages.success(request, _("De prognose is gestart. Deze pagina toont de voortgang."))
                return redirect(_page_url(subject, scenario))
    scenario = _scenario_from(request, subject)
    if request.method == "GET":
        form = ForecastStartForm(initial={"scenario": str(scenario.pk) if scenario else ""}, organisation=organisation)
    run, fresh = selectors.current_run(organisation=organisation, scenario=scenario)
    context = {
        "subject": subject,
        "organisation": organisation,
        "regional": subject.regional,
        "form": form,
        "error": error,
        "scenario": scenario,
        "run": run,
        "fresh": fresh,
        "page_url": _page_url(subject, scenario),
        "compare_url": subject.url("_compare"),
    }
    if run is not None and run.status == ForecastRun.Status.SUCCEEDED:
        summary = selectors.cached_summary(run=run, regional=subject.regional)
        context["summary"] = summary
        # reports' charts escape every text they are given, so the markup is safe.
        context["charts"] = {key: mark_safe(svg) for key, svg in reports.summary_charts(summary).items()}
        context["inputs"] = run.inputs
        query = f"?scenario={scenario.pk}" if scenario else ""
        context["downloads"] = {fmt: subject.url("_download", fmt=fmt) + query for fmt in ("xlsx", "docx", "pdf")}
    return render(request, "workforce/forecast.html", context)


def _run_for(request: HttpRequest, run_id: int) -> ForecastRun:
    run = get_object_or_404(ForecastRun.objects.select_related("subject_organisation", "job"), pk=run_id)
    organisation = run.subject_organisation
    permission = "workforce.view_region" if organisation.kind == Organisation.Kind.REGION else "workforce.manage_board"
    if not request.user.has_perm(permission, organisation):
        raise Http404
    return run


@never_cache
def forecast_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress of a forecast alone, polled by htmx; when finished htmx reloads the whole page."""
    refused = _login_needed(request)
    if refused:
        return refused
    run = _run_for(request, run_id)
    organisation = run.subject_organisation
    subject = Subject(organisation, regional=organisation.kind == Organisation.Kind.REGION)
    response = render(
        request,
        "workforce/forecast_progress.html",
        {"run": run, "job": run.job, "page_url": _page_url(subject, run.scenario)},
    )
    finished = run.status in (ForecastRun.Status.SUCCEEDED, ForecastRun.Status.FAILED)
    if finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _comparison(subject: Subject, scenarios: list[Scenario]) -> tuple[list, dict | None]:
    """(runs per column: baseline first, comparison or None while a run is missing)."""
    columns = []
    for scenario in [None, *scenarios]:
        run, fresh = selectors.current_run(organisation=subject.organisation, scenario=scenario)
        columns.append({"scenario": scenario, "run": run if fresh else None})
    done = [c for c in columns if c["run"] is not None and c["run"].status == ForecastRun.Status.SUCCEEDED]
    if len(done) != len(columns):
        return columns, None
    results = [(c["scenario"].name if c["scenario"] else _("Basis"), c["run"].result) for c in columns]
    return columns, reports.compare(results, regional=subject.regional)


@never_cache
@require_http_methods(["GET", "POST"])
def forecast_compare(request: HttpRequest, board_id: int | None = None, region_slug: str | None = None) -> HttpResponse:
    refused = _login_needed(request)
    if refused:
        return refused
    subject = _subject(request, board_id=board_id, region_slug=region_slug)
    data = request.POST if request.method == "POST" else (request.GET if "scenarios" in request.GET else None)
    form = CompareForm(data, organisation=subject.organisation)
    columns, comparison = [], None
    error = ""
    if form.is_bound and form.is_valid():
        scenarios = form.chosen()
        if request.method == "POST":
            try:
                for scenario in [None, *scenarios]:
                    services.forecast_request(
                        subject_organisation=subject.organisation, scenario=scenario, actor=request.user
                    )
            except services.ForecastUnavailable as reason:
                error = " ".join(reason.messages)
            else:
                messages.success(request, _("De ontbrekende prognoses zijn gestart; vernieuw deze pagina straks."))
                query = "&".join(f"scenarios={s.pk}" for s in scenarios)
                return redirect(f"{subject.url('_compare')}?{query}")
        columns, comparison = _comparison(subject, scenarios)
    return render(
        request,
        "workforce/forecast_compare.html",
        {
            "subject": subject,
            "organisation": subject.organisation,
            "regional": subject.regional,
            "form": form,
            "columns": columns,
            "comparison": comparison,
            "error": error,
            "page_url": subject.url(""),
            "query": request.GET.urlencode(),
            "synthetic": any(c["run"] and c["run"].inputs.get("is_synthetic") for c in columns),
        },
    )


@never_cache
def forecast_download(
    request: HttpRequest, fmt: str, board_id: int | None = None, region_slug: str | None = None
) -> HttpResponse:
    """XLSX, DOCX or PDF of the shown forecast (suppressed for a region, like the page)."""
    refused = _login_needed(request)
    if refused:
        return refused
    if fmt not in ("xlsx", "docx", "pdf"):
        raise Http404
    subject = _subject(request, board_id=board_id, region_slug=region_slug)
    scenario = _scenario_from(request, subject)
    run, _fresh = selectors.current_run(organisation=subject.organisation, scenario=scenario)
    if run is None or run.status != ForecastRun.Status.SUCCEEDED:
        raise Http404
    summary = selectors.cached_summary(run=run, regional=subject.regional)
    scenario_name = scenario.name if scenario else _("Basis")
    title = _("Prognose personeel %(name)s") % {"name": subject.organisation.name}
    meta = [
        (_("Scenario"), scenario_name),
        (_("Basisjaar"), str(run.inputs.get("base_year", ""))),
        (_("Synthetische gegevens"), _("ja") if run.inputs.get("is_synthetic") else _("nee")),
    ]
    filename = f"prognose-{slugify(subject.organisation.name)[:60]}-{run.finished_at:%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        content = reports.xlsx_bytes(summary, title=title, meta=meta, inputs=run.inputs)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        comparison = None
        compared = [
            s
            for s in scenarios_usable_for(organisation=subject.organisation)[:MAX_COMPARED]
            if scenario is None or s != scenario
        ]
        if compared:
            _columns, comparison = _comparison(subject, compared)
        report = reports.build_report(
            title=title,
            organisation=subject.organisation.name,
            summary=summary,
            inputs=run.inputs,
            scenario_name=scenario_name,
            comparison=comparison,
        )
        if fmt == "docx":
            content = render_docx(report)
            content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        else:
            content = render_pdf(report)
            content_type = "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
