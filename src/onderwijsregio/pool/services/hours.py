"""Writes of worked hours: one entry per assignment week, entered by one side, confirmed by the other.

The school (HR or school leader of the requesting board) or the member enters the hours of a week;
the other side confirms or disputes them; the coordinator may do either. An entry can be corrected
until it is confirmed (optimistic `version`, so two people editing the same week never overwrite each
other silently); correcting a disputed entry puts it back up for confirmation. Every change writes an
audit event, and the side that has to act next gets an email once the change is committed.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import StaleVersion, actor_or_none
from onderwijsregio.core.services import audit_record

from .. import audit
from ..errors import PoolError
from ..labels import hours_text
from ..models import Assignment, HoursEntry
from ..permissions import is_coordinator_of, side_of
from .figures import figures_kept, figures_touch_hours
from .lifecycle import pool_mail

# Hours in a week may exceed the agreed hours per week by half (extra lessons, a parents' evening),
# not more: anything beyond that is almost certainly a typing error.
MAX_HOURS_FACTOR = Decimal("1.5")
Side = HoursEntry.Side


def assignment_weeks(*, assignment: Assignment) -> list[date]:
    """The Mondays of the weeks in which the assignment has working days."""
    monday = assignment.start_date - timedelta(days=assignment.start_date.weekday())
    weeks = []
    while monday <= assignment.end_date:
        # A week counts when one of its working days (Monday-Friday) falls inside the period.
        if monday + timedelta(days=4) >= assignment.start_date:
            weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def max_hours(*, assignment: Assignment) -> Decimal:
    return (assignment.hours_per_week * MAX_HOURS_FACTOR).quantize(Decimal("0.01"))


def _week_label(week_start: date) -> str:
    year, week, _weekday = week_start.isocalendar()
    return _("week %(week)s van %(year)s (vanaf %(date)s)") % {
        "week": week,
        "year": year,
        "date": date_format(week_start, "j F Y"),
    }


def _check_side(actor: Any, assignment: Assignment, side: str) -> None:
    """The side a user acts for must be theirs: a member cannot enter hours as the school."""
    if side not in Side.values:
        raise PoolError(_("Onbekende partij."), code="unknown_side")
    if getattr(actor, "is_superuser", False):
        return
    actual = side_of(user=actor, assignment=assignment)
    if actual is None:
        raise PoolError(_("U bent geen partij bij deze inzet."), code="not_a_side")
    # The coordinator may act as coordinator even when also on a side; nobody acts for another side.
    if side != actual and (side != Side.COORDINATOR or not is_coordinator_of(user=actor, pool=assignment.request.pool)):
        raise PoolError(_("U kunt alleen namens uw eigen kant uren invoeren of bevestigen."), code="other_side")


def _validate_hours(assignment: Assignment, week_start: date, hours: Any) -> Decimal:
    errors: dict[str, list[str]] = {}
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise PoolError(
            {"hours": _("Vul het aantal uren in als een getal, bijvoorbeeld 7,5.")}, code="hours_not_a_number"
        ) from None
    if not value.is_finite():
        raise PoolError(
            {"hours": _("Vul het aantal uren in als een getal, bijvoorbeeld 7,5.")}, code="hours_not_a_number"
        )
    if value < 0:
        errors.setdefault("hours", []).append(_("Het aantal uren kan niet negatief zijn."))
    elif value > max_hours(assignment=assignment):
        errors.setdefault("hours", []).append(
            _(
                "%(hours)s uur is meer dan anderhalf keer de afgesproken %(agreed)s uur per week. "
                "Vul hoogstens %(max)s uur in, of vraag de coördinator de inzet aan te passen."
            )
            % {
                "hours": hours_text(value),
                "agreed": hours_text(assignment.hours_per_week),
                "max": hours_text(max_hours(assignment=assignment)),
            }
        )
    if value != value.quantize(Decimal("0.01")):
        errors.setdefault("hours", []).append(_("Vul de uren in op hoogstens twee decimalen nauwkeurig."))
    if week_start.weekday() != 0:
        errors.setdefault("week_start", []).append(_("Kies de maandag van de week."))
    elif week_start not in assignment_weeks(assignment=assignment):
        errors.setdefault("week_start", []).append(
            _("Deze week valt buiten de inzet (%(start)s tot en met %(end)s).")
            % {
                "start": date_format(assignment.start_date, "j F Y"),
                "end": date_format(assignment.end_date, "j F Y"),
            }
        )
    if errors:
        raise PoolError(errors, code="hours_invalid")
    return value.quantize(Decimal("0.01"))


def _other_side_addresses(entry: HoursEntry) -> list[str]:
    """Who must confirm: the member when the school entered, the school's contact the other way round."""
    assignment = entry.assignment
    member_address = assignment.member.email
    school_address = assignment.request.contact_email
    if entry.entered_side == Side.SCHOOL:
        return [member_address]
    if entry.entered_side == Side.MEMBER:
        return [school_address]
    return [member_address, school_address]


def _entering_side_addresses(entry: HoursEntry) -> list[str]:
    if entry.entered_by_id and entry.entered_by.email:
        return [entry.entered_by.email]
    if entry.entered_side == Side.MEMBER:
        return [entry.assignment.member.email]
    return [entry.assignment.request.contact_email]


def _hours_url(assignment: Assignment) -> str:
    return settings.SITE_URL + reverse(
        "pool:hours_assignment", kwargs={"slug": assignment.request.pool.slug, "assignment_pk": assignment.pk}
    )


def _audit(entry: HoursEntry, action: str, actor: Any, **details: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=entry,
        object_repr=f"uren inzet {entry.assignment_id} week {entry.week_start:%G-W%V}",
        organisation_id=entry.assignment.request.board_id,
        details={"assignment": entry.assignment_id, "week": entry.week_start.isoformat(), **details},
    )


@transaction.atomic
@figures_kept()
def hours_entry_create(
    *,
    assignment: Assignment,
    week_start: date,
    hours: Decimal | str | float,
    side: str,
    actor: Any,
    note: str = "",
    expected_version: int | None = None,
) -> HoursEntry:
    """Enter (or correct) the hours of one week; the other side is asked by email to confirm.

    A week has at most one entry; entering it again corrects it, as long as it is not confirmed.
    `expected_version` is the version the user saw: a correction refuses when someone changed the
    entry in between.
    """
    _check_side(actor, assignment, side)
    assignment = Assignment.objects.select_for_update().select_related("request__pool", "member").get(pk=assignment.pk)
    if assignment.status == Assignment.Status.CANCELLED:
        raise PoolError(
            _("Deze inzet is geannuleerd; er kunnen geen uren meer worden ingevoerd."), code="assignment_cancelled"
        )
    value = _validate_hours(assignment, week_start, hours)
    note = (note or "").strip()
    existing = HoursEntry.objects.select_for_update().filter(assignment=assignment, week_start=week_start).first()
    user = actor_or_none(actor)
    if existing is None:
        entry = HoursEntry(
            assignment=assignment,
            week_start=week_start,
            hours=value,
            entered_side=side,
            entered_by=user,
            note=note,
        )
        entry.full_clean()
        entry.save()
        figures_touch_hours(entry=entry)
        action = audit.HOURS_ENTERED
    else:
        if existing.status == HoursEntry.Status.CONFIRMED:
            raise PoolError(
                _("De uren van %(week)s zijn al bevestigd en kunnen niet meer worden gewijzigd.")
                % {"week": _week_label(week_start)},
                code="hours_confirmed",
            )
        if expected_version is not None and existing.version != expected_version:
            raise StaleVersion(
                _(
                    "Iemand anders heeft de uren van deze week intussen gewijzigd. Laad de pagina opnieuw; "
                    "er is niets overschreven."
                )
            )
        previous = {"hours": str(existing.hours), "status": existing.status}
        existing.hours = value
        existing.entered_side = side
        existing.entered_by = user
        existing.status = HoursEntry.Status.ENTERED
        existing.confirmed_by = None
        existing.confirmed_at = None
        existing.note = note
        existing.version += 1
        existing.full_clean()
        existing.save()
        figures_touch_hours(entry=existing)
        entry = existing
        action = audit.HOURS_CORRECTED
    _audit(entry, action, actor, hours=str(value), side=side, **({"previous": previous} if existing else {}))
    pool_mail(
        to=_other_side_addresses(entry),
        template="hours_awaiting_confirmation",
        subject=_("Uren wachten op uw bevestiging"),
        context={
            "entry": entry,
            "assignment": assignment,
            "week": _week_label(week_start),
            "url": _hours_url(assignment),
        },
    )
    return entry


def _check_confirmer(entry: HoursEntry, side: str, actor: Any) -> None:
    _check_side(actor, entry.assignment, side)
    if side != Side.COORDINATOR and side == entry.entered_side:
        raise PoolError(
            _("De uren moeten worden bevestigd door de andere partij dan die ze heeft ingevoerd."), code="own_entry"
        )


def _locked_entry(entry: HoursEntry, expected_version: int | None) -> HoursEntry:
    locked = HoursEntry.objects.select_for_update().select_related("assignment__request__pool").get(pk=entry.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(_("Iemand anders heeft de uren van deze week intussen gewijzigd. Laad de pagina opnieuw."))
    return locked


@transaction.atomic
@figures_kept()
def hours_entry_confirm(*, entry: HoursEntry, side: str, actor: Any, expected_version: int | None = None) -> HoursEntry:
    """The other side (or the coordinator) agrees with the hours; they then count for the settlement.

    A disputed entry can only be confirmed by the coordinator (who settles the disagreement);
    otherwise the entering side corrects it first.
    """
    locked = _locked_entry(entry, expected_version)
    _check_confirmer(locked, side, actor)
    if locked.status == HoursEntry.Status.CONFIRMED:
        raise PoolError(_("Deze uren zijn al bevestigd."), code="hours_confirmed")
    if locked.status == HoursEntry.Status.DISPUTED and side != Side.COORDINATOR:
        raise PoolError(
            _("Deze uren zijn betwist. Ze worden eerst gecorrigeerd, of de coördinator beslist."), code="hours_disputed"
        )
    locked.status = HoursEntry.Status.CONFIRMED
    locked.confirmed_by = actor_or_none(actor)
    locked.confirmed_at = timezone.now()
    locked.version += 1
    locked.save()
    figures_touch_hours(entry=locked)
    _audit(locked, audit.HOURS_CONFIRMED, actor, hours=str(locked.hours), side=side)
    return locked


@transaction.atomic
@figures_kept()
def hours_entry_dispute(
    *, entry: HoursEntry, side: str, actor: Any, note: str, expected_version: int | None = None
) -> HoursEntry:
    """The other side does not agree; the entering side hears why by email and corrects the hours."""
    note = (note or "").strip()
    if not note:
        raise PoolError(
            {"note": _("Schrijf kort op wat er niet klopt, zodat de ander het kan corrigeren.")}, code="note_missing"
        )
    if len(note) > 300:
        raise PoolError({"note": _("Houd de toelichting korter dan 300 tekens.")}, code="note_too_long")
    locked = _locked_entry(entry, expected_version)
    _check_confirmer(locked, side, actor)
    if locked.status != HoursEntry.Status.ENTERED:
        raise PoolError(_("Alleen uren die op bevestiging wachten, kunnen worden betwist."), code="hours_not_entered")
    locked.status = HoursEntry.Status.DISPUTED
    locked.note = note
    locked.version += 1
    locked.save()
    figures_touch_hours(entry=locked)
    _audit(locked, audit.HOURS_DISPUTED, actor, hours=str(locked.hours), side=side)
    pool_mail(
        to=_entering_side_addresses(locked),
        template="hours_disputed",
        subject=_("Uren betwist: graag corrigeren"),
        context={
            "entry": locked,
            "assignment": locked.assignment,
            "week": _week_label(locked.week_start),
            "url": _hours_url(locked.assignment),
        },
    )
    return locked


# --- Who confirms what (the rules the hours pages show and the services enforce) -----------------


def hours_acting_side(*, user: Any, assignment: Assignment) -> str | None:
    """The side a user enters hours for on this assignment; a superuser outside every side acts as coordinator."""
    side = side_of(user=user, assignment=assignment)
    if side is None and getattr(user, "is_superuser", False):
        side = Side.COORDINATOR
    return side


def hours_confirm_side(*, user: Any, entry: HoursEntry, acting_side: str) -> str | None:
    """The side a user confirms an entry as, or None when the entry is the user's own side's to wait on.

    Someone on the entering side who is also coordinator confirms as coordinator.
    """
    if acting_side == entry.entered_side and is_coordinator_of(user=user, pool=entry.assignment.request.pool):
        return Side.COORDINATOR
    return None if acting_side == entry.entered_side else acting_side


def hours_entry_confirmable(*, user: Any, entry: HoursEntry, confirm_side: str | None) -> bool:
    """Whether the user may confirm this entry now: it waits for them; a disputed one only the coordinator settles."""
    return (
        entry.status in (HoursEntry.Status.ENTERED, HoursEntry.Status.DISPUTED)
        and confirm_side is not None
        and (
            entry.status == HoursEntry.Status.ENTERED
            or is_coordinator_of(user=user, pool=entry.assignment.request.pool)
        )
    )
