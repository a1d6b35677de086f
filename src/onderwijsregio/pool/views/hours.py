"""Pages for worked hours: enter them per assignment week, confirm or dispute the other side's, export.

The school side (HR or school leader of the requesting board) and the member each enter or confirm
hours for their own side; the coordinator may act for the pool. Who stands on which side comes from
`permissions.side_of`; the services check it again. Everything is plain forms: no JavaScript needed.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm

from .. import exports, selectors, services
from ..forms import DisputeForm, ExportForm, HoursEntryForm
from ..labels import hours_text, week_choice_label
from ..models import Assignment, HoursEntry, Pool
from ..permissions import is_coordinator_of
from ..selectors import pool_for


def _pool(request: HttpRequest, slug: str) -> Pool:
    pool = pool_for(user=request.user, slug=slug)
    require_perm(request, "pool.view_pool", pool, hide=True)
    return pool


def _assignment(request: HttpRequest, pool: Pool, assignment_pk: int) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related(
            "request__pool", "request__school_location", "request__subject", "request__board", "member__employer"
        ),
        pk=assignment_pk,
        request__pool=pool,
    )
    require_perm(request, "pool.enter_hours", assignment, hide=True)
    return assignment


def _entry(request: HttpRequest, pool: Pool, entry_pk: int) -> HoursEntry:
    entry = get_object_or_404(
        HoursEntry.objects.select_related("assignment__request__pool", "assignment__member", "entered_by"),
        pk=entry_pk,
        assignment__request__pool=pool,
    )
    require_perm(request, "pool.enter_hours", entry.assignment, hide=True)
    return entry


def _acting_side(request: HttpRequest, assignment: Assignment) -> str:
    side = services.hours_acting_side(user=request.user, assignment=assignment)
    if side is None:
        raise Http404
    return side


def _confirm_side(request: HttpRequest, entry: HoursEntry) -> str | None:
    """The side this user confirms as, or None when the entry is not theirs to confirm."""
    if not request.user.has_perm("pool.confirm_hours", entry):
        return None
    return services.hours_confirm_side(
        user=request.user, entry=entry, acting_side=_acting_side(request, entry.assignment)
    )


@login_required
def hours_list(request: HttpRequest, slug: str) -> HttpResponse:
    pool = _pool(request, slug)
    awaiting = list(selectors.hours_awaiting(user=request.user, pool=pool).order_by("week_start", "pk")[:200])
    assignments = list(selectors.assignments_for_hours(user=request.user, pool=pool)[:200])
    selectors.hours_read(user=request.user, pool=pool, page="list", assignments=assignments, entries=awaiting)
    export_form = ExportForm()
    return render(
        request,
        "pool/hours_list.html",
        {
            "pool": pool,
            "awaiting": awaiting,
            "assignments": assignments,
            "export_form": export_form,
            "is_coordinator": is_coordinator_of(user=request.user, pool=pool),
        },
    )


def _week_rows(assignment: Assignment, request: HttpRequest) -> list[dict]:
    entries = {entry.week_start: entry for entry in assignment.hours_entries.select_related("entered_by")}
    rows = []
    for monday in services.assignment_weeks(assignment=assignment):
        entry = entries.get(monday)
        rows.append(
            {
                "monday": monday,
                "label": week_choice_label(monday),
                "entry": entry,
                "can_confirm": entry is not None
                and services.hours_entry_confirmable(
                    user=request.user, entry=entry, confirm_side=_confirm_side(request, entry)
                ),
                "can_enter": entry is None or entry.status != HoursEntry.Status.CONFIRMED,
            }
        )
    return rows


@login_required
def hours_assignment(request: HttpRequest, slug: str, assignment_pk: int) -> HttpResponse:
    pool = _pool(request, slug)
    assignment = _assignment(request, pool, assignment_pk)
    side = _acting_side(request, assignment)
    if request.method == "POST":
        form = HoursEntryForm(request.POST, assignment=assignment)
        if form.is_valid():
            try:
                entry = services.hours_entry_create(
                    assignment=assignment,
                    week_start=form.cleaned_data["week"],
                    hours=form.cleaned_data["hours"],
                    note=form.cleaned_data["note"],
                    side=side,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                add_service_errors(form, error, {"week_start": "week"})
            else:
                messages.success(
                    request,
                    _("De uren van %(week)s zijn opgeslagen. De andere partij krijgt een e-mail om ze te bevestigen.")
                    % {"week": week_choice_label(entry.week_start)},
                )
                return redirect("pool:hours_assignment", slug=pool.slug, assignment_pk=assignment.pk)
    else:
        initial = {}
        week = request.GET.get("week", "")
        weeks = services.assignment_weeks(assignment=assignment)
        chosen = next((monday for monday in weeks if monday.isoformat() == week), None)
        if chosen is None:
            # Default to the current week (or the last week of a finished assignment).
            today = timezone.localdate()
            past = [monday for monday in weeks if monday <= today]
            chosen = past[-1] if past else (weeks[0] if weeks else None)
        if chosen is not None:
            initial["week"] = chosen.isoformat()
            existing = assignment.hours_entries.filter(week_start=chosen).first()
            if existing is not None and existing.status != HoursEntry.Status.CONFIRMED:
                initial.update(hours=hours_text(existing.hours), note=existing.note, version=existing.version)
        form = HoursEntryForm(initial=initial, assignment=assignment)
    rows = _week_rows(assignment, request)
    selectors.hours_read(user=request.user, pool=pool, page="assignment", assignments=[assignment])
    confirmed = sum(
        (row["entry"].hours for row in rows if row["entry"] and row["entry"].status == "confirmed"), Decimal(0)
    )
    return render(
        request,
        "pool/hours_assignment.html",
        {
            "pool": pool,
            "assignment": assignment,
            "side": side,
            "side_label": HoursEntry.Side(side).label,
            "form": form,
            "rows": rows,
            "confirmed_total": confirmed,
            "max_hours": services.max_hours(assignment=assignment),
        },
    )


@login_required
@require_POST
def hours_confirm(request: HttpRequest, slug: str, entry_pk: int) -> HttpResponse:
    pool = _pool(request, slug)
    entry = _entry(request, pool, entry_pk)
    side = _confirm_side(request, entry)
    back = reverse("pool:hours_assignment", kwargs={"slug": pool.slug, "assignment_pk": entry.assignment_id})
    if side is None:
        messages.error(request, _("Deze uren bevestigt de andere partij, niet u."))
        return redirect(back)
    version = request.POST.get("version", "")
    try:
        services.hours_entry_confirm(
            entry=entry, side=side, actor=request.user, expected_version=int(version) if version.isdigit() else None
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("De uren van %(week)s zijn bevestigd.") % {"week": week_choice_label(entry.week_start)}
        )
    target = request.POST.get("next", "")
    if target == "list":
        return redirect("pool:hours_list", slug=pool.slug)
    return redirect(back)


@login_required
def hours_dispute(request: HttpRequest, slug: str, entry_pk: int) -> HttpResponse:
    pool = _pool(request, slug)
    entry = _entry(request, pool, entry_pk)
    side = _confirm_side(request, entry)
    back = reverse("pool:hours_assignment", kwargs={"slug": pool.slug, "assignment_pk": entry.assignment_id})
    if side is None or entry.status != HoursEntry.Status.ENTERED:
        messages.error(request, _("Deze uren kunt u niet betwisten."))
        return redirect(back)
    if request.method == "POST":
        form = DisputeForm(request.POST)
        if form.is_valid():
            try:
                services.hours_entry_dispute(
                    entry=entry,
                    side=side,
                    actor=request.user,
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("De uren van %(week)s zijn betwist. De andere partij krijgt een e-mail om ze te corrigeren.")
                    % {"week": week_choice_label(entry.week_start)},
                )
                return redirect(back)
    else:
        form = DisputeForm(initial={"version": entry.version})
    return render(
        request,
        "pool/hours_dispute.html",
        {
            "pool": pool,
            "entry": entry,
            "assignment": entry.assignment,
            "week_label": week_choice_label(entry.week_start),
            "form": form,
        },
    )


@login_required
def hours_export(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    if file_format not in ("csv", "xlsx"):
        raise Http404
    pool = _pool(request, slug)
    form = ExportForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("pool:hours_list", slug=pool.slug)
    period = form.cleaned_data if form.is_bound else {}
    entries = selectors.hours_export_entries(
        user=request.user, pool=pool, file_format=file_format, start=period.get("van"), end=period.get("tot")
    )
    filename = f"uren-{pool.slug}-{timezone.localdate():%Y-%m-%d}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(
            exports.csv_lines(headers=exports.hours_headers(), rows=exports.hours_rows(entries=entries)),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = HttpResponse(
            exports.xlsx_bytes(
                headers=exports.hours_headers(), rows=exports.hours_rows(entries=entries), title=_("Uren")
            ),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
