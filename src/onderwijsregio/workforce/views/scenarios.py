"""A region's assumptions and the scenarios (levers) of a board or region: list, create, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onderwijsregio.core.forms import add_service_errors
from onderwijsregio.core.guards import require_perm
from onderwijsregio.organisations.models import Organisation

from .. import assumptions as catalogue
from .. import selectors, services
from ..forms import AssumptionsForm, ScenarioForm
from ..models import AssumptionSet, Scenario
from ..scenarios import LEVERS, levers_summary
from .common import region_or_404

# --- Assumptions -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assumptions(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_or_404(region_slug)
    require_perm(request, "workforce.view_region", region)
    can_edit = request.user.has_perm("workforce.manage_region", region)
    stored = AssumptionSet.objects.filter(region=region).select_related("updated_by").first()
    values = catalogue.values_for(region)
    version = stored.version if stored else 0
    form = None
    if can_edit:
        if request.method == "POST":
            form = AssumptionsForm(request.POST)
            if form.is_valid():
                try:
                    services.assumptions_update(
                        region=region,
                        values=form.values(),
                        actor=request.user,
                        expected_version=form.cleaned_data["version"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("De aannames zijn opgeslagen."))
                    return redirect("workforce:assumptions", region_slug=region.slug)
        else:
            form = AssumptionsForm(initial={"version": version, **values})
    elif request.method == "POST":
        raise PermissionDenied
    entries = [
        {"entry": entry, "value": values[entry.key], "is_default": values[entry.key] == entry.default}
        for entry in catalogue.CATALOGUE
    ]
    return render(
        request,
        "workforce/assumptions.html",
        {"region": region, "entries": entries, "stored": stored, "form": form, "can_edit": can_edit},
    )


# --- Scenarios ---------------------------------------------------------------------------------


def _owner(owner_id: int) -> Organisation:
    return get_object_or_404(Organisation, pk=owner_id, kind__in=[Organisation.Kind.BOARD, Organisation.Kind.REGION])


def _can_manage_owner(user, owner: Organisation) -> bool:
    return user.has_perm("workforce.manage_board", owner) or user.has_perm("workforce.manage_region", owner)


@login_required
@require_GET
def scenario_list(request: HttpRequest, owner_id: int) -> HttpResponse:
    owner = _owner(owner_id)
    if not (
        request.user.has_perm("workforce.manage_board", owner) or request.user.has_perm("workforce.view_region", owner)
    ):
        raise PermissionDenied
    scenarios = [{"scenario": s, "levers": levers_summary(s)} for s in selectors.scenarios_for_owner(owner=owner)]
    return render(
        request,
        "workforce/scenario_list.html",
        {"owner": owner, "scenarios": scenarios, "can_manage": _can_manage_owner(request.user, owner)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_create(request: HttpRequest, owner_id: int) -> HttpResponse:
    owner = _owner(owner_id)
    if not _can_manage_owner(request.user, owner):
        raise PermissionDenied
    form = ScenarioForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_create(
                owner=owner,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                levers=form.levers(),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het scenario is opgeslagen."))
            return redirect("workforce:scenario_list", owner_id=owner.pk)
    return render(request, "workforce/scenario_form.html", {"owner": owner, "form": form, "scenario": None})


@login_required
@require_http_methods(["GET", "POST"])
def scenario_edit(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario.objects.select_related("owner"), pk=scenario_id)
    require_perm(request, "workforce.manage_scenario", scenario)
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            try:
                services.scenario_update(
                    scenario=scenario,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    levers=form.levers(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Het scenario is opgeslagen."))
                return redirect("workforce:scenario_list", owner_id=scenario.owner_id)
    else:
        form = ScenarioForm(initial=ScenarioForm.initial_for(scenario))
    return render(
        request, "workforce/scenario_form.html", {"owner": scenario.owner, "form": form, "scenario": scenario}
    )


@login_required
@require_http_methods(["GET", "POST"])
def scenario_delete(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario.objects.select_related("owner"), pk=scenario_id)
    require_perm(request, "workforce.manage_scenario", scenario)
    owner_id = scenario.owner_id
    if request.method == "POST":
        name = scenario.name
        services.scenario_delete(scenario=scenario, actor=request.user)
        messages.success(request, _("Scenario '%(name)s' is verwijderd.") % {"name": name})
        return redirect("workforce:scenario_list", owner_id=owner_id)
    return render(
        request, "workforce/scenario_delete.html", {"scenario": scenario, "owner": scenario.owner, "levers": LEVERS}
    )
