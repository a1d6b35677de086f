"""The ruleset: routes, their entry requirements, subsidies and words, read and checked from JSON.

`load_ruleset(path)` reads a rules file (rules/routes-<version>.json), validates every part and
compiles conditions and sentences once, so `advise()` does no parsing. A bad file raises
`RulesError` listing every problem with the route and field it is in. `load_offers()` reads which
institutes offer which route (rules/institutes-demo.json) and checks it against the ruleset.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .checks import ENUMS, KINDS, Behaviour, Context, Predicate, Scope
from .profile import GENERAL_SUBJECT, Qualification, Sector, TargetLevel
from .text import Template, TemplateError, Vocabulary, compile_template, join_or

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
DEFAULT_RULES = RULES_DIR / "routes-2026.1.json"
DEFAULT_OFFERS = RULES_DIR / "institutes-demo.json"


class Status(StrEnum):
    FITS = "fits"
    FITS_AFTER = "fits_after"
    DOES_NOT_FIT = "does_not_fit"


class QualificationResult(StrEnum):
    """What a route leads to."""

    PO = "po"
    SECOND_DEGREE = "second_degree"
    LIMITED_SECOND_DEGREE = "limited_second_degree"
    FIRST_DEGREE = "first_degree"
    PDG = "pdg"
    RECOGNITION = "recognition"  # DUO's recognition of a foreign qualification
    EXISTING = "existing"  # the qualification the candidate already holds
    NONE = "none"  # a diploma or a preparation, no teaching qualification


# Vocabularies the rules file must label completely (kind -> codes).
LABEL_KINDS: dict[str, type[StrEnum]] = {**ENUMS, "result": QualificationResult, "status": Status}  # type: ignore[dict-item]


class RulesError(ValueError):
    """A rules or offers file that cannot be used; `problems` lists each one with its location."""

    def __init__(self, origin: str, problems: list[str]):
        self.origin = origin
        self.problems = problems
        listing = "\n".join(f"- {problem}" for problem in problems)
        super().__init__(f"{origin}: {len(problems)} problem(s)\n{listing}")


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str
    date: str


@dataclass(frozen=True, slots=True)
class Duration:
    """Typical duration in months (a rule edit changes it)."""

    min_months: int
    max_months: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class Cost:
    """Typical cost in euros; None where no typical amount is known (shown as such)."""

    min_eur: int | None
    max_eur: int | None
    payer: str
    note: str = ""


@dataclass(frozen=True, slots=True, eq=False)
class Subsidy:
    id: str
    name: str
    amount_max_eur: int | None
    recipient: str
    description: str
    # True where the amount or terms are not settled in our sources: check before relying on it.
    configurable: bool
    sources: tuple[Source, ...]
    applies_when: tuple[Predicate, ...]

    def applies(self, profile) -> bool:
        return all(check(profile) for check in self.applies_when)


@dataclass(frozen=True, slots=True, eq=False)
class Condition:
    id: str
    # The requirement in one plain-Dutch line, independent of any candidate (for the route pages).
    label: str
    check: str
    params: Mapping[str, Any]
    predicate: Predicate
    guard: Predicate | None
    met: Template
    missing: Template
    # How a missing requirement can be met; a condition with a remedy only postpones the fit.
    remedy: str
    monotone: bool
    # Rendered requirements by (met, template key); None switches memoising off.
    memo: dict | None = None


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    name: str
    intro: str


@dataclass(frozen=True, slots=True, eq=False)
class Route:
    id: str
    name: str
    group: str
    summary: str
    result: QualificationResult
    scope: Scope
    duration: Duration
    cost: Cost
    subsidies: tuple[Subsidy, ...]
    steps: tuple[str, ...]
    conditions: tuple[Condition, ...]
    sources: tuple[Source, ...]
    order: int


@dataclass(frozen=True, slots=True, eq=False)
class Ruleset:
    version: str
    published: str
    description: str
    groups: tuple[Group, ...]
    routes: tuple[Route, ...]
    subsidies: Mapping[str, Subsidy]
    vocabulary: Vocabulary
    qualification_scopes: Mapping[Qualification, Scope]
    sources: tuple[Source, ...]
    origin: str

    def route(self, route_id: str) -> Route:
        for route in self.routes:
            if route.id == route_id:
                return route
        raise KeyError(route_id)

    @property
    def route_ids(self) -> tuple[str, ...]:
        return tuple(route.id for route in self.routes)

    def label(self, kind: str, code) -> str:
        return self.vocabulary.label(kind, code)

    def subject_choices(self) -> list[tuple[str, str]]:
        return sorted(self.vocabulary.subject_names.items(), key=lambda item: item[1].lower())


@dataclass(frozen=True, slots=True)
class Institute:
    id: str
    name: str
    place: str
    url: str


# route id -> institutes offering it (indicative demo data).
Offers = Mapping[str, tuple[Institute, ...]]


class _Reader:
    """Collects problems while reading nested JSON, each prefixed with where it was found."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def get(
        self, obj: Any, key: str, where: str, kind: type | tuple[type, ...], *, required: bool = True, default=None
    ):
        if not isinstance(obj, dict):
            self.problem(where, "expected an object")
            return default
        if key not in obj:
            if required:
                self.problem(where, f"field '{key}' is missing")
            return default
        value = obj[key]
        if kind is int and isinstance(value, bool):
            self.problem(where, f"field '{key}' must be a whole number, not {value!r}")
            return default
        if not isinstance(value, kind):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            self.problem(where, f"field '{key}' must be {names}, not {type(value).__name__}")
            return default
        if isinstance(value, str) and required and not value.strip():
            self.problem(where, f"field '{key}' is empty")
        return value

    def enum(self, cls, value, where: str):
        try:
            return cls(value)
        except ValueError:
            self.problem(where, f"unknown value {value!r} (allowed: {', '.join(m.value for m in cls)})")
            return None

    def enum_list(self, cls, values, where: str) -> frozenset:
        if not isinstance(values, list):
            self.problem(where, "expected a list")
            return frozenset()
        return frozenset(v for v in (self.enum(cls, value, where) for value in values) if v is not None)


def _sources(reader: _Reader, obj, where: str) -> tuple[Source, ...]:
    items = reader.get(obj, "sources", where, list, default=[])
    if obj is not None and isinstance(obj, dict) and "sources" in obj and not items:
        reader.problem(where, "field 'sources' needs at least one source")
    result = []
    for index, item in enumerate(items):
        at = f"{where}, sources[{index}]"
        title = reader.get(item, "title", at, str, default="")
        url = reader.get(item, "url", at, str, default="")
        date = reader.get(item, "date", at, str, default="")
        if url and not url.startswith(("https://", "http://", "docs/")):
            reader.problem(at, f"field 'url' must be a web address or a docs/ path, not {url!r}")
        result.append(Source(title=title, url=url, date=date))
    return tuple(result)


def _scope(reader: _Reader, obj, where: str, *, text_required: bool) -> Scope:
    sectors = reader.enum_list(Sector, reader.get(obj, "sectors", where, list, default=[]), f"{where}, sectors")
    levels = reader.enum_list(TargetLevel, reader.get(obj, "levels", where, list, default=[]), f"{where}, levels")
    text = reader.get(obj, "text", where, str, required=text_required, default="")
    return Scope(sectors=sectors, levels=levels, text=text)


def _params(reader: _Reader, kind, raw: dict, where: str, subject_codes: set[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name in sorted(set(raw) - {"check", "id", "label", "met", "missing", "remedy", "when"} - set(kind.params)):
        reader.problem(where, f"check '{kind.name}' has no parameter '{name}'")
    for name, spec in kind.params.items():
        if name not in raw:
            if spec.required:
                reader.problem(where, f"check '{kind.name}' needs parameter '{name}'")
            continue
        value = raw[name]
        at = f"{where}, {name}"
        if spec.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                reader.problem(at, f"must be a whole number of at least 0, not {value!r}")
                continue
            params[name] = value
        elif spec.kind == "subjects":
            if not isinstance(value, list) or not value:
                reader.problem(at, "must be a non-empty list of subject codes")
                continue
            for code in value:
                if code not in subject_codes:
                    reader.problem(at, f"unknown subject code {code!r} (add it to 'subjects' first)")
            params[name] = tuple(value)
        elif spec.kind.startswith("list:"):
            members = reader.enum_list(ENUMS[spec.kind[5:]], value, at)
            if not members:
                reader.problem(at, "must list at least one value")
            params[name] = members
        else:
            member = reader.enum(ENUMS[spec.kind], value, at)
            if member is not None:
                params[name] = member
    return params


def _required_words(kind, params: dict[str, Any], vocabulary: Vocabulary) -> str | None:
    if not kind.params:
        return None
    value = params.get(next(iter(kind.params)))
    if value is None:
        return None
    if kind.required_label == "subject":
        return join_or([vocabulary.subject(code) for code in value])
    if kind.required_label:
        values = sorted(value) if isinstance(value, frozenset) else [value]
        return join_or([vocabulary.label(kind.required_label, item) for item in values])
    return str(value)


def _condition(reader, raw, where, *, route_name, context, vocabulary, subject_codes, seen_ids) -> Condition | None:
    cid = reader.get(raw, "id", where, str, default="")
    if cid:
        where = f"{where} ('{cid}')"
        if cid in seen_ids:
            reader.problem(where, f"condition id '{cid}' is used twice in this route")
        seen_ids.add(cid)
    check = reader.get(raw, "check", where, str, default="")
    kind = KINDS.get(check)
    if kind is None:
        if check:
            reader.problem(where, f"unknown check '{check}' (known: {', '.join(sorted(KINDS))})")
        return None
    params = _params(reader, kind, raw, where, subject_codes)
    guard = None
    guard_fixed = True
    when = reader.get(raw, "when", where, dict, required=False)
    if when is not None:
        guard_kind = KINDS.get(when.get("check", ""))
        if guard_kind is None:
            reader.problem(f"{where}, when", f"unknown check {when.get('check')!r}")
        else:
            guard_params = _params(reader, guard_kind, when, f"{where}, when", subject_codes)
            try:
                guard = guard_kind.build(guard_params, context)
            except KeyError:
                guard = None
            guard_fixed = guard_kind.behaviour is Behaviour.FIXED
    static = {"route": route_name, "scope": context.route_scope.text}
    required = _required_words(kind, params, vocabulary)
    if required is not None:
        static["required"] = required
    templates = {}
    for key in ("met", "missing"):
        source = reader.get(raw, key, where, str, default="")
        try:
            templates[key] = compile_template(source, static)
        except TemplateError as error:
            reader.problem(f"{where}, {key}", str(error))
    label = reader.get(raw, "label", where, str, default="")
    remedy = reader.get(raw, "remedy", where, str, required=False, default="") or ""
    if len(templates) < 2 or len(params) < sum(1 for spec in kind.params.values() if spec.required):
        return None
    monotone = kind.behaviour is not Behaviour.OTHER and guard_fixed
    return Condition(
        id=cid,
        label=label,
        check=check,
        params=MappingProxyType(params),
        predicate=kind.build(params, context),
        guard=guard,
        met=templates["met"],
        missing=templates["missing"],
        remedy=remedy,
        monotone=monotone,
        memo={},
    )


def _vocabulary(reader: _Reader, data: dict) -> Vocabulary:
    labels_raw = reader.get(data, "labels", "labels", dict, default={})
    labels: dict[str, dict[str, str]] = {}
    for kind, enum in LABEL_KINDS.items():
        table = reader.get(labels_raw, kind, "labels", dict, default={})
        for member in enum:
            if not isinstance(table.get(member.value), str) or not table.get(member.value):
                reader.problem(f"labels, {kind}", f"no Dutch label for '{member.value}'")
        labels[kind] = {str(k): str(v) for k, v in table.items()}
    names: dict[str, str] = {}
    families: dict[str, str] = {}
    for index, item in enumerate(reader.get(data, "subjects", "subjects", list, default=[])):
        at = f"subjects[{index}]"
        code = reader.get(item, "code", at, str, default="")
        name = reader.get(item, "name", at, str, default="")
        if code in names:
            reader.problem(at, f"subject code '{code}' is listed twice")
        names[code] = name
        families[code] = reader.get(item, "family", at, str, required=False, default=code) or code
    if GENERAL_SUBJECT not in names:
        reader.problem("subjects", f"the general subject '{GENERAL_SUBJECT}' (primary education) is missing")
    return Vocabulary(labels=labels, subject_names=names, subject_family=families)


def parse_ruleset(data: Any, origin: str = "<rules>") -> Ruleset:
    """Validate and compile rules data (the parsed JSON). Raises RulesError naming every problem."""
    reader = _Reader()
    if not isinstance(data, dict):
        raise RulesError(origin, ["the file must hold one JSON object"])
    version = reader.get(data, "version", "top level", str, default="")
    published = reader.get(data, "published", "top level", str, default="")
    description = reader.get(data, "description", "top level", str, default="")
    vocabulary = _vocabulary(reader, data)
    subject_codes = set(vocabulary.subject_names)
    top_sources = _sources(reader, data, "top level")

    qualification_scopes: dict[Qualification, Scope] = {}
    scopes_raw = reader.get(data, "qualification_scopes", "top level", dict, default={})
    for member in Qualification:
        if member.value not in scopes_raw:
            reader.problem("qualification_scopes", f"no scope for '{member.value}'")
            continue
        qualification_scopes[member] = _scope(
            reader, scopes_raw[member.value], f"qualification_scopes, {member.value}", text_required=False
        )

    groups = []
    for index, item in enumerate(reader.get(data, "groups", "top level", list, default=[])):
        at = f"groups[{index}]"
        groups.append(
            Group(
                id=reader.get(item, "id", at, str, default=""),
                name=reader.get(item, "name", at, str, default=""),
                intro=reader.get(item, "intro", at, str, default=""),
            )
        )
    group_ids = {group.id for group in groups}

    empty_context = Context(vocabulary.subject_family, qualification_scopes, Scope(frozenset(), frozenset()))
    subsidies: dict[str, Subsidy] = {}
    for index, item in enumerate(reader.get(data, "subsidies", "top level", list, default=[])):
        sid = reader.get(item, "id", f"subsidies[{index}]", str, default="")
        at = f"subsidy '{sid}' (subsidies[{index}])"
        amount = reader.get(item, "amount_max_eur", at, (int, type(None)), default=None)
        guards = []
        for gindex, guard in enumerate(reader.get(item, "applies_when", at, list, required=False, default=[])):
            gat = f"{at}, applies_when[{gindex}]"
            kind = KINDS.get(guard.get("check", "") if isinstance(guard, dict) else "")
            if kind is None:
                reader.problem(gat, "unknown or missing check")
                continue
            guards.append(kind.build(_params(reader, kind, guard, gat, subject_codes), empty_context))
        if sid in subsidies:
            reader.problem(at, f"subsidy id '{sid}' is used twice")
        subsidies[sid] = Subsidy(
            id=sid,
            name=reader.get(item, "name", at, str, default=""),
            amount_max_eur=amount,
            recipient=reader.get(item, "recipient", at, str, default=""),
            description=reader.get(item, "description", at, str, default=""),
            configurable=reader.get(item, "configurable", at, bool, default=True),
            sources=_sources(reader, item, at),
            applies_when=tuple(guards),
        )

    routes: list[Route] = []
    seen: set[str] = set()
    for index, item in enumerate(reader.get(data, "routes", "top level", list, default=[])):
        rid = reader.get(item, "id", f"routes[{index}]", str, default="")
        at = f"route '{rid}' (routes[{index}])"
        if rid in seen:
            reader.problem(at, f"route id '{rid}' is used twice")
        seen.add(rid)
        name = reader.get(item, "name", at, str, default="")
        group = reader.get(item, "group", at, str, default="")
        if group and group not in group_ids:
            reader.problem(at, f"field 'group': unknown group '{group}'")
        result = reader.enum(QualificationResult, reader.get(item, "result", at, str, default=""), f"{at}, result")
        scope = _scope(reader, reader.get(item, "scope", at, dict, default={}), f"{at}, scope", text_required=True)

        duration_raw = reader.get(item, "duration_months", at, dict, default={})
        dmin = reader.get(duration_raw, "min", f"{at}, duration_months", int, default=0)
        dmax = reader.get(duration_raw, "max", f"{at}, duration_months", int, default=0)
        if dmin < 0 or dmax < dmin:
            reader.problem(f"{at}, duration_months", f"need 0 <= min <= max, got min {dmin} and max {dmax}")
        duration = Duration(dmin, dmax, reader.get(duration_raw, "note", at, str, required=False, default=""))

        cost_raw = reader.get(item, "cost_eur", at, dict, default={})
        cmin = reader.get(cost_raw, "min", f"{at}, cost_eur", (int, type(None)), default=None)
        cmax = reader.get(cost_raw, "max", f"{at}, cost_eur", (int, type(None)), default=None)
        if (cmin is None) != (cmax is None) or (cmin is not None and not 0 <= cmin <= cmax):
            reader.problem(f"{at}, cost_eur", f"need 0 <= min <= max (or both null), got {cmin} and {cmax}")
        cost = Cost(
            cmin,
            cmax,
            reader.get(cost_raw, "payer", f"{at}, cost_eur", str, default=""),
            reader.get(cost_raw, "note", f"{at}, cost_eur", str, required=False, default=""),
        )

        route_subsidies = []
        for sid in reader.get(item, "subsidies", at, list, required=False, default=[]):
            if sid not in subsidies:
                reader.problem(f"{at}, subsidies", f"unknown subsidy '{sid}'")
            else:
                route_subsidies.append(subsidies[sid])

        steps = reader.get(item, "steps", at, list, required=False, default=[])
        if not all(isinstance(step, str) and step.strip() for step in steps):
            reader.problem(f"{at}, steps", "every step must be a non-empty text")

        context = Context(vocabulary.subject_family, qualification_scopes, scope)
        conditions = []
        seen_conditions: set[str] = set()
        raw_conditions = reader.get(item, "conditions", at, list, default=[])
        if isinstance(item, dict) and "conditions" in item and not raw_conditions:
            reader.problem(at, "field 'conditions' needs at least one condition")
        for cindex, raw in enumerate(raw_conditions):
            condition = _condition(
                reader,
                raw,
                f"{at}, conditions[{cindex}]",
                route_name=name,
                context=context,
                vocabulary=vocabulary,
                subject_codes=subject_codes,
                seen_ids=seen_conditions,
            )
            if condition is not None:
                conditions.append(condition)
        sources = _sources(reader, item, at)
        if isinstance(item, dict) and "sources" not in item:
            reader.problem(at, "field 'sources' is missing: every rule needs its source")
        routes.append(
            Route(
                id=rid,
                name=name,
                group=group,
                summary=reader.get(item, "summary", at, str, default=""),
                result=result or QualificationResult.NONE,
                scope=scope,
                duration=duration,
                cost=cost,
                subsidies=tuple(route_subsidies),
                steps=tuple(steps),
                conditions=tuple(conditions),
                sources=sources,
                order=index,
            )
        )
    if not routes and not reader.problems:
        reader.problem("top level", "no routes")
    if reader.problems:
        raise RulesError(origin, reader.problems)
    return Ruleset(
        version=version,
        published=published,
        description=description,
        groups=tuple(groups),
        routes=tuple(routes),
        subsidies=MappingProxyType(subsidies),
        vocabulary=vocabulary,
        qualification_scopes=MappingProxyType(qualification_scopes),
        sources=top_sources,
        origin=origin,
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(str(path), ["file not found"]) from None
    except json.JSONDecodeError as error:
        raise RulesError(
            str(path), [f"not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from None


def load_ruleset(path: str | Path = DEFAULT_RULES) -> Ruleset:
    """Read, validate and compile a rules file. Do this once and reuse the Ruleset."""
    path = Path(path)
    return parse_ruleset(_read_json(path), origin=path.name)


def parse_offers(data: Any, ruleset: Ruleset, origin: str = "<offers>") -> Offers:
    reader = _Reader()
    institutes: dict[str, Institute] = {}
    for index, item in enumerate(reader.get(data, "institutes", "top level", list, default=[])):
        iid = reader.get(item, "id", f"institutes[{index}]", str, default="")
        at = f"institute '{iid}' (institutes[{index}])"
        if iid in institutes:
            reader.problem(at, f"institute id '{iid}' is used twice")
        institutes[iid] = Institute(
            id=iid,
            name=reader.get(item, "name", at, str, default=""),
            place=reader.get(item, "place", at, str, default=""),
            url=reader.get(item, "url", at, str, default=""),
        )
    offers: dict[str, tuple[Institute, ...]] = {}
    known_routes = set(ruleset.route_ids)
    for route_id, ids in reader.get(data, "offers", "top level", dict, default={}).items():
        at = f"offers, route '{route_id}'"
        if route_id not in known_routes:
            reader.problem(at, f"unknown route (not in {ruleset.origin})")
        if not isinstance(ids, list):
            reader.problem(at, "expected a list of institute ids")
            continue
        for iid in ids:
            if iid not in institutes:
                reader.problem(at, f"unknown institute '{iid}'")
        offers[route_id] = tuple(institutes[iid] for iid in ids if iid in institutes)
    if reader.problems:
        raise RulesError(origin, reader.problems)
    return MappingProxyType(offers)


def load_offers(path: str | Path, ruleset: Ruleset) -> Offers:
    path = Path(path)
    return parse_offers(_read_json(path), ruleset, origin=path.name)


@lru_cache(maxsize=1)
def default_ruleset() -> Ruleset:
    """The shipped rules, loaded once per process."""
    return load_ruleset(DEFAULT_RULES)


@lru_cache(maxsize=1)
def default_offers() -> Offers:
    """The shipped (indicative, demo-region) offers, loaded once per process."""
    return load_offers(DEFAULT_OFFERS, default_ruleset())
