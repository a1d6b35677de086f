"""`advise()`: every route of a ruleset judged against one candidate profile, with the reasons.

Pure and deterministic: the same profile, ruleset and offers give the same Advice. No I/O: the
ruleset is compiled beforehand (rules.load_ruleset), so a call only evaluates predicates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .profile import CandidateProfile
from .rules import Condition, Institute, Offers, Route, Ruleset, Status, Subsidy

_STATUS_ORDER = {Status.FITS: 0, Status.FITS_AFTER: 1, Status.DOES_NOT_FIT: 2}
_NO_OFFERS: Mapping[str, tuple[Institute, ...]] = {}


@dataclass(frozen=True, slots=True)
class RequirementResult:
    """One entry requirement: met or not, in a plain-Dutch sentence; `remedy` says how to meet it."""

    id: str
    met: bool
    text: str
    remedy: str = ""

    @property
    def can_be_met(self) -> bool:
        return not self.met and bool(self.remedy)


@dataclass(frozen=True, slots=True)
class RouteAdvice:
    route: Route
    status: Status
    met: tuple[RequirementResult, ...]
    missing: tuple[RequirementResult, ...]
    subsidies: tuple[Subsidy, ...]
    institutes: tuple[Institute, ...]

    @property
    def route_id(self) -> str:
        return self.route.id

    @property
    def blocking(self) -> tuple[RequirementResult, ...]:
        """Missing requirements that cannot simply be arranged (they make the route not fit)."""
        return tuple(item for item in self.missing if not item.remedy)

    @property
    def explanation(self) -> str:
        """One plain-Dutch paragraph: why the route fits, fits later, or does not fit."""
        if self.status is Status.FITS:
            return " ".join(["Deze route past bij wat je hebt opgegeven.", *(item.text for item in self.met)])
        if self.status is Status.FITS_AFTER:
            parts = [f"{item.text} {item.remedy}".strip() for item in self.missing]
            return " ".join(["Deze route past als je nog iets regelt.", *parts])
        return " ".join(["Deze route past nu niet.", *(item.text for item in self.blocking)])

    def to_dict(self) -> dict[str, Any]:
        route = self.route
        return {
            "route": route.id,
            "name": route.name,
            "status": self.status.value,
            "result": route.result.value,
            "scope": route.scope.text,
            "duration_months": [route.duration.min_months, route.duration.max_months],
            "cost_eur": [route.cost.min_eur, route.cost.max_eur],
            "met": [{"id": item.id, "text": item.text} for item in self.met],
            "missing": [{"id": item.id, "text": item.text, "remedy": item.remedy} for item in self.missing],
            "subsidies": [subsidy.id for subsidy in self.subsidies],
            "institutes": [institute.id for institute in self.institutes],
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class Advice:
    """The advice for one profile: every route once, fitting ones first, and the rules that made it."""

    ruleset_version: str
    routes: tuple[RouteAdvice, ...]

    def with_status(self, status: Status) -> tuple[RouteAdvice, ...]:
        return tuple(item for item in self.routes if item.status is status)

    @property
    def fitting(self) -> tuple[RouteAdvice, ...]:
        return self.with_status(Status.FITS)

    @property
    def fitting_after(self) -> tuple[RouteAdvice, ...]:
        return self.with_status(Status.FITS_AFTER)

    @property
    def not_fitting(self) -> tuple[RouteAdvice, ...]:
        return self.with_status(Status.DOES_NOT_FIT)

    def for_route(self, route_id: str) -> RouteAdvice:
        for item in self.routes:
            if item.route.id == route_id:
                return item
        raise KeyError(route_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for storing an advice with the candidate (it names its ruleset version)."""
        return {"ruleset_version": self.ruleset_version, "routes": [item.to_dict() for item in self.routes]}


# Bound on memoised requirements per condition: free-text values (study, country) could grow it.
MEMO_LIMIT = 4096


def _requirement(condition: Condition, met: bool, profile: CandidateProfile, ruleset: Ruleset) -> RequirementResult:
    template = condition.met if met else condition.missing
    memo = condition.memo
    if memo is None:
        return _render(condition, met, template, profile, ruleset)
    key = (met, template.key(profile))
    result = memo.get(key)
    if result is None:
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        result = memo[key] = _render(condition, met, template, profile, ruleset)
    return result


def _render(condition: Condition, met: bool, template, profile: CandidateProfile, ruleset: Ruleset):
    text = template.render(profile, ruleset.vocabulary)
    return RequirementResult(condition.id, met, text, "" if met else condition.remedy)


def judge(route: Route, profile: CandidateProfile, ruleset: Ruleset, offers: Offers) -> RouteAdvice:
    met: list[RequirementResult] = []
    missing: list[RequirementResult] = []
    for condition in route.conditions:
        if condition.guard is not None and not condition.guard(profile):
            continue
        if condition.predicate(profile):
            met.append(_requirement(condition, True, profile, ruleset))
        else:
            missing.append(_requirement(condition, False, profile, ruleset))
    if not missing:
        status = Status.FITS
    elif all(item.remedy for item in missing):
        status = Status.FITS_AFTER
    else:
        status = Status.DOES_NOT_FIT
    return RouteAdvice(
        route=route,
        status=status,
        met=tuple(met),
        missing=tuple(missing),
        subsidies=tuple(subsidy for subsidy in route.subsidies if subsidy.applies(profile)) if route.subsidies else (),
        institutes=offers.get(route.id, ()),
    )


def _sort_key(item: RouteAdvice) -> tuple[int, int, int, int]:
    duration = item.route.duration
    return (_STATUS_ORDER[item.status], duration.min_months, duration.max_months, item.route.order)


def advise(profile: CandidateProfile, ruleset: Ruleset, offers: Offers | None = None) -> Advice:
    """Judge every route of `ruleset` for `profile`.

    Sorted: fits, then fits after arranging something, then does not fit; within each, shortest
    typical duration first, then the order of the rules file.
    """
    offers = offers if offers is not None else _NO_OFFERS
    judged = [judge(route, profile, ruleset, offers) for route in ruleset.routes]
    judged.sort(key=_sort_key)
    return Advice(ruleset_version=ruleset.version, routes=tuple(judged))
