"""The candidate's own pages: log in with an emailed code, see and edit their record, route advice,
journey and consents, download all their data (AVG access and portability) and delete it
(AVG erasure).

A candidate only ever reaches their own record (the one linked to their account); there is no
record id in these URLs, and anyone else gets a 404.
"""

from __future__ import annotations

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm
from onderwijsregio.organisations.models import Sector

from .. import selectors, services, spam
from ..forms.public import (
    QUALIFICATION_CHOICES,
    CandidateEditForm,
    ConsentChangeForm,
    LoginCodeForm,
    LoginEmailForm,
)
from ..labels import consent_text
from ..models import STAGE_ORDER, Candidate, ConsentPurpose, EventKind, Stage
from ..services.common import LOGIN_EMAIL_SESSION_KEY

# Events on the candidate's own timeline: what happened to their journey, not the desk's notes.
CANDIDATE_TIMELINE_KINDS = (
    EventKind.REGISTERED,
    EventKind.STAGE_CHANGED,
    EventKind.ENDED,
    EventKind.HANDOVER,
    EventKind.HANDOVER_DECIDED,
)
STATUS_LABELS = {
    "fits": gettext_lazy("Past bij u"),
    "fits_after": gettext_lazy("Past als u nog iets regelt"),
    "does_not_fit": gettext_lazy("Past nu niet"),
}


def candidate_required(view):
    """Log in with a code first; a logged-in person without a candidate record gets a 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("loket:candidate_login"))
        candidate = (
            Candidate.objects.select_related("region").filter(user=request.user, merged_into__isnull=True).first()
        )
        if candidate is None:
            raise Http404
        require_perm(request, "loket.view_own_record", candidate, hide=True)
        return view(request, candidate, *args, **kwargs)

    return wrapper


# --- Login by code ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def candidate_login(request: HttpRequest) -> HttpResponse:
    form = LoginEmailForm(request.POST or None)
    if request.method == "POST":
        if spam.rate_limit_exceeded(request, "login_code"):
            return render(request, "loket/candidate/login_rate_limited.html", status=429)
        if form.is_valid():
            spam.rate_limit_count(request, "login_code")
            email = form.cleaned_data["email"].strip().lower()
            # Whether or not the address is known, the visitor sees the same next page.
            services.login_code_issue(email=email)
            request.session[LOGIN_EMAIL_SESSION_KEY] = email
            return redirect("loket:candidate_login_code")
    return render(
        request,
        "loket/candidate/login.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def candidate_login_code(request: HttpRequest) -> HttpResponse:
    email = request.session.get(LOGIN_EMAIL_SESSION_KEY)
    if not email:
        return redirect("loket:candidate_login")
    form = LoginCodeForm(request.POST or None)
    if request.method == "POST":
        if spam.rate_limit_exceeded(request, "login_verify"):
            return render(request, "loket/candidate/login_rate_limited.html", status=429)
        if form.is_valid():
            spam.rate_limit_count(request, "login_verify")
            candidate = services.login_code_verify(email=email, code=form.cleaned_data["code"].strip())
            try:
                user = services.candidate_login_account(candidate=candidate) if candidate is not None else None
            except ValidationError:
                # Not a candidate's account (a staff account with this address): the same answer as a wrong code.
                user = None
            if user is not None and user.is_active:
                request.session.pop(LOGIN_EMAIL_SESSION_KEY, None)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("loket:my_record")
            form.add_error(
                "code",
                _("Deze code klopt niet of is niet meer geldig. Controleer de code, of vraag een nieuwe code aan."),
            )
    return render(
        request,
        "loket/candidate/login_code.html",
        {"form": form, "email": email},
        status=400 if form.errors else 200,
    )


# --- The candidate's record ---------------------------------------------------------------------


def _advice_rows(candidate: Candidate) -> list[dict]:
    rows = []
    names = _institute_names()
    for item in (candidate.advice or {}).get("routes", []):
        rows.append(
            {
                **item,
                "status_label": STATUS_LABELS.get(item.get("status"), item.get("status")),
                "institute_names": [names.get(code, code) for code in item.get("institutes", [])],
            }
        )
    return rows


def _institute_names() -> dict[str, str]:
    try:
        from onderwijsregio.routes.engine import default_offers
    except ImportError:  # the routes app is optional for showing a stored advice
        return {}
    names = {}
    for institutes in default_offers().values():
        for institute in institutes:
            names[institute.id] = f"{institute.name} ({institute.place})"
    return names


def _consent_rows(candidate: Candidate) -> list[dict]:
    current = selectors.current_consents(candidate=candidate)
    return [
        {
            "purpose": purpose,
            "label": label,
            "question": consent_text(purpose),
            "given": current.get(purpose, False),
        }
        for purpose, label in ConsentPurpose.choices
    ]


def _timeline(candidate: Candidate):
    return (
        candidate.events.filter(kind__in=CANDIDATE_TIMELINE_KINDS)
        .select_related("trajectory")
        .order_by("-created_at", "-id")
    )


def _trajectory_rows(candidate: Candidate, route_names: dict[str, str]) -> list:
    """Trajectories with their route's name and each stage marked done, current or to come."""
    rows = []
    trajectories = candidate.trajectories.select_related(
        "subject", "board", "school_location", "institute", "exit_reason"
    ).order_by("created_at", "id")
    for trajectory in trajectories:
        current = STAGE_ORDER.index(trajectory.stage)
        trajectory.route_name = route_names.get(trajectory.route_id, trajectory.route_id)
        trajectory.steps = [
            {"label": label, "state": "done" if index < current else "current" if index == current else "todo"}
            for index, (_value, label) in enumerate(Stage.choices)
        ]
        rows.append(trajectory)
    return rows


@never_cache
@candidate_required
def my_record(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    advice_rows = _advice_rows(candidate)
    sector_labels = dict(Sector.choices)
    return render(
        request,
        "loket/candidate/my_record.html",
        {
            "candidate": candidate,
            "advice_rows": advice_rows,
            "ruleset_version": (candidate.advice or {}).get("ruleset_version", ""),
            "trajectories": _trajectory_rows(candidate, {row["route"]: row["name"] for row in advice_rows}),
            "timeline": _timeline(candidate),
            "consents": _consent_rows(candidate),
            "sectors": [sector_labels.get(code, code) for code in candidate.target_sectors or []],
            "qualification": dict(QUALIFICATION_CHOICES).get(candidate.current_qualification, ""),
        },
    )


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def my_record_edit(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    if request.method == "GET":
        form = CandidateEditForm(instance=candidate, initial={"version": candidate.version})
        return render(request, "loket/candidate/my_record_edit.html", {"form": form, "candidate": candidate})
    # Bound to a fresh copy: the form's cleaning must not change the record the service locks.
    form = CandidateEditForm(request.POST, instance=Candidate.objects.get(pk=candidate.pk))
    if form.is_valid():
        try:
            services.candidate_update(
                candidate=candidate,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                related_subjects=list(form.cleaned_data["related_subjects"]),
                target_subjects=list(form.cleaned_data["target_subjects"]),
                **form.service_data(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Uw gegevens zijn opgeslagen en uw routeadvies is bijgewerkt."))
            return redirect("loket:my_record")
    return render(request, "loket/candidate/my_record_edit.html", {"form": form, "candidate": candidate}, status=400)


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def my_consents(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    if request.method == "POST":
        form = ConsentChangeForm(request.POST)
        if form.is_valid():
            purpose, given = form.cleaned_data["purpose"], form.cleaned_data["given"]
            services.consent_record(candidate=candidate, purpose=purpose, given=given, actor=request.user)
            label = ConsentPurpose(purpose).label
            if given:
                messages.success(request, _("U heeft toestemming gegeven voor: %(purpose)s.") % {"purpose": label})
            else:
                messages.success(
                    request, _("U heeft uw toestemming ingetrokken voor: %(purpose)s.") % {"purpose": label}
                )
            return redirect("loket:my_consents")
        messages.error(request, _("Deze keuze kon niet worden opgeslagen. Probeer het opnieuw."))
    history = [
        {
            "purpose": ConsentPurpose(consent.purpose).label,
            "question": consent_text(consent.purpose, consent.text_version),
            "given": consent.given,
            "text_version": consent.text_version,
            "recorded_at": consent.recorded_at,
        }
        for consent in candidate.consents.order_by("-recorded_at", "-id")
    ]
    return render(
        request,
        "loket/candidate/my_consents.html",
        {"candidate": candidate, "consents": _consent_rows(candidate), "history": history},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@candidate_required
def my_export(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    data = selectors.own_data_export(candidate=candidate, actor=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens-{timezone.localdate():%Y-%m-%d}.json"'
    return response


@never_cache
@candidate_required
@require_http_methods(["GET", "POST"])
def my_delete(request: HttpRequest, candidate: Candidate) -> HttpResponse:
    if request.method == "GET":
        return render(request, "loket/candidate/my_delete.html", {"candidate": candidate})
    region_name = candidate.region.name
    # Log out first: the account goes with the record, and the session must not outlive it.
    logout(request)
    services.candidate_erase(candidate=candidate, actor=None, reason="request")
    request.session["loket_goodbye_region"] = region_name
    return redirect("loket:my_deleted")


def my_deleted(request: HttpRequest) -> HttpResponse:
    return render(
        request, "loket/candidate/my_deleted.html", {"region_name": request.session.get("loket_goodbye_region", "")}
    )
