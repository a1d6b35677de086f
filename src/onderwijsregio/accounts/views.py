"""Pages about people: who works where (memberships), the audit log, and the user's own account.

Views parse input, call one service or selector and render. Pages that show other people's
personal data write an audit event flagged as a personal-data read.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm
from onderwijsregio.core.i18n import language_cookie_set
from onderwijsregio.organisations.models import Organisation

from . import selectors
from .forms import AuditFilterForm, MembershipAddForm, PeopleFilterForm, PreferredLanguageForm
from .models import Membership
from .selectors import people_viewed_record
from .services import (
    api_token_replace,
    api_token_revoke,
    membership_end,
    membership_invite,
    user_language_set,
)

PAGE_SIZE = 50


@login_required
def people(request):
    organisations = selectors.administered_organisations(user=request.user)
    form = PeopleFilterForm(request.GET or None, organisations=organisations)
    organisation_id, role = None, ""
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        organisation_id = organisation.pk if organisation else None
        role = form.cleaned_data["role"]
    memberships = selectors.visible_memberships(user=request.user, organisation_id=organisation_id, role=role)
    page_obj = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    people_viewed_record(actor=request.user, memberships=page_obj, via="people", path=request.get_full_path())
    return render(
        request,
        "accounts/people.html",
        {"form": form, "page_obj": page_obj, "has_organisations": organisations.exists()},
    )


def _organisation_or_404(request, pk: int, perm: str) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    # 404, not 403: whether an organisation has people here is itself not for outsiders.
    require_perm(request, perm, organisation, hide=True)
    return organisation


@login_required
def organisation_people(request, pk: int):
    organisation = _organisation_or_404(request, pk, "organisations.view_people")
    memberships = selectors.organisation_memberships(organisation=organisation)
    page_obj = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    people_viewed_record(
        actor=request.user, memberships=page_obj, via="organisation_people", path=request.get_full_path()
    )
    return render(
        request,
        "accounts/organisation_people.html",
        {
            "organisation": organisation,
            "page_obj": page_obj,
            "can_manage": request.user.has_perm("accounts.manage_memberships", organisation),
        },
    )


@login_required
def membership_add(request, pk: int):
    organisation = _organisation_or_404(request, pk, "accounts.manage_memberships")
    form = MembershipAddForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership, created = membership_invite(
                organisation=organisation,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                school_location=data.get("school_location"),
                actor=request.user,
            )
            user = membership.user
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _("%(name)s is toegevoegd en krijgt een e-mail om een wachtwoord te kiezen.")
                    % {"name": user.get_full_name()},
                )
            else:
                messages.success(request, _("%(name)s is toegevoegd.") % {"name": user.get_full_name()})
            return redirect("accounts:organisation_people", pk=organisation.pk)
    return render(request, "accounts/membership_add.html", {"organisation": organisation, "form": form})


@login_required
def membership_end_confirm(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("user", "organisation"), pk=pk)
    if membership.ended_at is not None or not request.user.has_perm(
        "accounts.manage_memberships", membership.organisation
    ):
        raise Http404
    if request.method == "POST":
        try:
            membership_end(membership=membership, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("De rol %(role)s van %(name)s bij %(organisation)s is beëindigd.")
                % {
                    "role": membership.get_role_display(),
                    "name": membership.user.get_full_name(),
                    "organisation": membership.organisation.name,
                },
            )
        return redirect("accounts:organisation_people", pk=membership.organisation_id)
    return render(request, "accounts/membership_end.html", {"membership": membership})


@login_required
def audit_log(request):
    require_perm(request, "core.view_auditevent")
    actions, object_types = selectors.audit_event_choices(user=request.user)
    form = AuditFilterForm(request.GET or None, actions=actions, object_types=object_types)
    filters = {}
    if form.is_valid():
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    events = selectors.visible_audit_events(user=request.user, **filters)
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.audit_events_labelled(events=page_obj.object_list)
    return render(request, "accounts/audit_log.html", {"form": form, "page_obj": page_obj})


def _my_account_context(request, **extra) -> dict:
    return {
        "memberships": selectors.user_memberships(user=request.user),
        "has_token": Token.objects.filter(user=request.user).exists(),
        "language_form": PreferredLanguageForm(initial={"preferred_language": request.user.preferred_language}),
        **extra,
    }


@login_required
def my_account(request):
    return render(request, "accounts/my_account.html", _my_account_context(request))


@login_required
@require_POST
@never_cache
def token_create(request):
    token = api_token_replace(user=request.user)
    # Shown in this response only: it is not stored anywhere we would show it again.
    return render(request, "accounts/my_account.html", _my_account_context(request, new_token=token.key))


@login_required
@require_POST
def token_revoke(request):
    if api_token_revoke(user=request.user):
        messages.success(request, _("Uw API-token is ingetrokken."))
    return redirect("accounts:my_account")


@login_required
@require_POST
def preferred_language(request):
    form = PreferredLanguageForm(request.POST)
    if not form.is_valid():
        context = _my_account_context(request)
        context["language_form"] = form
        return render(request, "accounts/my_account.html", context, status=400)
    language = form.cleaned_data["preferred_language"]
    user_language_set(user=request.user, language=language, actor=request.user)
    translation.activate(language or translation.get_language_from_request(request, check_path=False))
    messages.success(request, _("Uw voorkeurstaal is opgeslagen."))
    response = redirect("accounts:my_account")
    language_cookie_set(response, language)
    return response
