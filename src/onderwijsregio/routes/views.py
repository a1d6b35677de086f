"""Public pages about the routes to a teaching qualification: all routes explained, one route, and a
quick anonymous check that shows the engine's advice for a few answers (nothing is stored).

The rules and offers are loaded once per process (engine.default_ruleset/default_offers); the
route texts come from the rules file and are Dutch, the page around them goes through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .engine import Route, RouteAdvice, Ruleset, Status, Subsidy, advise, default_offers, default_ruleset
from .engine.rules import Cost, Duration
from .forms import RouteCheckForm


def euros(amount: int) -> str:
    return "€ " + number_format(amount, decimal_pos=0, force_grouping=True)


def duration_text(duration: Duration) -> str:
    if duration.max_months == 0:
        return _("direct")
    if duration.min_months == duration.max_months:
        months = duration.max_months
        return ngettext("%(months)s maand", "%(months)s maanden", months) % {"months": months}
    return _("%(min)s tot %(max)s maanden") % {"min": duration.min_months, "max": duration.max_months}


def cost_text(cost: Cost) -> str:
    if cost.min_eur is None or cost.max_eur is None:
        return _("geen vast bedrag bekend")
    if cost.max_eur == 0:
        return _("geen kosten")
    if cost.min_eur == cost.max_eur:
        return euros(cost.max_eur)
    return _("%(min)s tot %(max)s") % {"min": euros(cost.min_eur), "max": euros(cost.max_eur)}


def subsidy_amount_text(subsidy: Subsidy) -> str:
    if subsidy.amount_max_eur is None:
        return _("bedrag: zie de regeling")
    return _("tot %(amount)s") % {"amount": euros(subsidy.amount_max_eur)}


@dataclass(frozen=True)
class RouteView:
    """A route with the words the pages show next to it."""

    route: Route
    result: str
    duration: str
    cost: str
    subsidies: list[tuple[Subsidy, str]]
    institutes: tuple
    advice: RouteAdvice | None = None


def route_view(route: Route, ruleset: Ruleset, advice: RouteAdvice | None = None) -> RouteView:
    subsidies = advice.subsidies if advice is not None else route.subsidies
    return RouteView(
        route=route,
        result=ruleset.label("result", route.result),
        duration=duration_text(route.duration),
        cost=cost_text(route.cost),
        subsidies=[(subsidy, subsidy_amount_text(subsidy)) for subsidy in subsidies],
        institutes=default_offers().get(route.id, ()),
        advice=advice,
    )


def route_list(request: HttpRequest) -> HttpResponse:
    ruleset = default_ruleset()
    groups = [
        (group, [route_view(route, ruleset) for route in ruleset.routes if route.group == group.id])
        for group in ruleset.groups
    ]
    return render(request, "routes/route_list.html", {"ruleset": ruleset, "groups": groups})


def route_detail(request: HttpRequest, route_id: str) -> HttpResponse:
    ruleset = default_ruleset()
    try:
        route = ruleset.route(route_id)
    except KeyError:
        raise Http404(_("Deze route bestaat niet.")) from None
    group = next((group for group in ruleset.groups if group.id == route.group), None)
    return render(
        request,
        "routes/route_detail.html",
        {"ruleset": ruleset, "item": route_view(route, ruleset), "group": group},
    )


def check(request: HttpRequest) -> HttpResponse:
    ruleset = default_ruleset()
    # The form is a GET form: any of its fields in the query means it was submitted.
    submitted = any(name in request.GET for name in RouteCheckForm.base_fields)
    form = RouteCheckForm(request.GET if submitted else None, ruleset=ruleset)
    sections = []
    if submitted and form.is_valid():
        advice = advise(form.profile(), ruleset, default_offers())
        for status, title in (
            (Status.FITS, _("Routes die passen")),
            (Status.FITS_AFTER, _("Routes die passen als je nog iets regelt")),
            (Status.DOES_NOT_FIT, _("Routes die nu niet passen")),
        ):
            items = [route_view(item.route, ruleset, item) for item in advice.with_status(status)]
            sections.append({"status": status.value, "title": title, "items": items})
    return render(
        request,
        "routes/check.html",
        {"form": form, "ruleset": ruleset, "sections": sections, "submitted": submitted},
    )
