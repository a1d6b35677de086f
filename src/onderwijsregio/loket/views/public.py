"""Public pages of the candidate desk (no login): what a region's desk offers, and registration
with intake, spam protection and the first route advice.
"""

from __future__ import annotations

import logging

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from onderwijsregio.accounts.models import Role
from onderwijsregio.organisations.models import Organisation

from .. import services, spam
from ..forms.public import RegistrationForm
from ..models import Candidate, TargetGroup
from ..services.common import REGISTERED_SESSION_KEY

logger = logging.getLogger(__name__)

# Session key of the candidate who just registered in this browser (for the "registered" page).


def regions_with_desk() -> QuerySet[Organisation]:
    """Regions whose regional team runs a desk (has at least one active member)."""
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.REGION,
            memberships__role=Role.REGIONAL_TEAM,
            memberships__ended_at__isnull=True,
        )
        .distinct()
        .order_by("name")
    )


def chosen_region(request: HttpRequest) -> Organisation | None:
    """The region of ?regio=<slug>, or the only region with a desk; None when the visitor must choose.

    An unknown slug is a 404, so a mistyped link does not silently land in another region.
    """
    regions = regions_with_desk()
    slug = request.GET.get("regio", "").strip()
    if slug:
        region = regions.filter(slug=slug).first()
        if region is None:
            raise Http404
        return region
    only = list(regions[:2])
    return only[0] if len(only) == 1 else None


def _with_region(url_name: str, region: Organisation) -> str:
    return f"{reverse(url_name)}?{urlencode({'regio': region.slug})}"


def home(request: HttpRequest) -> HttpResponse:
    region = chosen_region(request)
    return render(
        request,
        "loket/public/home.html",
        {
            "region": region,
            "regions": [] if region else regions_with_desk(),
            "register_url": _with_region("loket:register", region) if region else "",
            "target_groups": [label for _value, label in TargetGroup.choices if _value != TargetGroup.OTHER],
        },
    )


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    region = chosen_region(request)
    if region is None:
        return render(request, "loket/public/choose_region.html", {"regions": regions_with_desk()})
    context = {
        "region": region,
        "action": _with_region("loket:register", region),
        "consent_text_version": services.CONSENT_TEXT_VERSION,
    }
    if request.method == "GET":
        context["form"] = RegistrationForm()
        return render(request, "loket/public/register.html", context)

    if spam.rate_limit_exceeded(request, "register"):
        return render(request, "loket/public/rate_limited.html", context, status=429)
    if spam.honeypot_filled(request.POST):
        # Looks like success to the bot; nothing is stored and nobody is mailed.
        spam.rate_limit_count(request, "register")
        logger.info("Registration refused: honeypot filled")
        request.session.pop(REGISTERED_SESSION_KEY, None)
        return redirect(_with_region("loket:registered", region))
    form = RegistrationForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "loket/public/register.html", context, status=400)
    candidate = services.candidate_register(
        region=region,
        data=form.service_data(),
        consents=form.consents(),
        related_subjects=list(form.cleaned_data["related_subjects"]),
        target_subjects=list(form.cleaned_data["target_subjects"]),
        actor=None,
    )
    spam.rate_limit_count(request, "register")
    request.session[REGISTERED_SESSION_KEY] = candidate.pk
    return redirect(_with_region("loket:registered", region))


def registered(request: HttpRequest) -> HttpResponse:
    candidate = None
    pk = request.session.get(REGISTERED_SESSION_KEY)
    if pk is not None:
        candidate = Candidate.objects.select_related("region").filter(pk=pk).first()
    region = candidate.region if candidate else chosen_region(request)
    routes = (candidate.advice or {}).get("routes", []) if candidate else []
    return render(
        request,
        "loket/public/registered.html",
        {
            "candidate": candidate,
            "region": region,
            "fitting": [item for item in routes if item.get("status") == "fits"],
            "fitting_after": [item for item in routes if item.get("status") == "fits_after"],
        },
    )
