"""Dutch explanation sentences from the rules file's templates, compiled once per ruleset.

A template is plain text with `{placeholder}`s from a fixed list (PLACEHOLDERS). Compiling splits
it into literal parts and value getters, so rendering is a join instead of a format-string parse;
rendered sentences are memoised on the values they depend on, because 50,000 candidates share a
few hundred distinct combinations (a bounded cache: free-text values could otherwise grow it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from string import Formatter

from .profile import GENERAL_SUBJECT, CandidateProfile

# name -> what it stands for (documentation for rule authors; docs/routes.md repeats it).
PLACEHOLDERS: dict[str, str] = {
    "subjects": "the target subject(s) in Dutch, e.g. 'wiskunde of natuurkunde'",
    "field_phrase": "'jouw studie (<education field>)' or 'jouw studie' when no field was given",
    "education": "the candidate's highest diploma in Dutch",
    "required": "the condition's parameter in Dutch (a level, a number of EC, hours, ...)",
    "dutch_level": "the candidate's Dutch level in Dutch",
    "sectors": "the target sector(s) in Dutch",
    "levels": "the target level(s) in Dutch",
    "qualification": "the candidate's current teaching qualification in Dutch",
    "qualification_subject": "the subject of that qualification in Dutch",
    "ec": "the EC the candidate has in their current study",
    "hours": "hours per week the candidate has available",
    "country": "country of the foreign diploma",
    "route": "the route's name",
}

CACHE_LIMIT = 4096


class TemplateError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Dutch words for codes: enums by kind, subjects by SLO code, subject families."""

    labels: Mapping[str, Mapping[str, str]]
    subject_names: Mapping[str, str]
    subject_family: Mapping[str, str]

    def label(self, kind: str, code: str) -> str:
        return self.labels[kind].get(str(code), str(code))

    def subject(self, code: str) -> str:
        return self.subject_names.get(code, code)

    def family(self, code: str) -> str:
        return self.subject_family.get(code, code)


def join_or(words: list[str]) -> str:
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " of " + words[-1]


def _subjects(profile: CandidateProfile, vocabulary: Vocabulary) -> str:
    codes = sorted(code for code in profile.target_subjects if code != GENERAL_SUBJECT)
    if not codes:
        return "het vak dat je kiest" if not profile.target_subjects else vocabulary.subject(GENERAL_SUBJECT)
    return join_or([vocabulary.subject(code) for code in codes])


def _labels(kind: str, values, vocabulary: Vocabulary, empty: str) -> str:
    words = [vocabulary.label(kind, value) for value in sorted(values)]
    return join_or(words) if words else empty


Getter = Callable[[CandidateProfile, Vocabulary], str]

_GETTERS: dict[str, Getter] = {
    "subjects": _subjects,
    "field_phrase": lambda p, v: f"jouw studie ({p.education_field})" if p.education_field else "jouw studie",
    "education": lambda p, v: v.label("education_level", p.education_level),
    "dutch_level": lambda p, v: v.label("dutch_level", p.dutch_level),
    "sectors": lambda p, v: _labels("sector", p.target_sectors, v, "de sector die je kiest"),
    "levels": lambda p, v: _labels("target_level", p.target_levels, v, "het niveau dat je kiest"),
    "qualification": lambda p, v: v.label("qualification", p.teaching_qualification),
    "qualification_subject": lambda p, v: v.subject(p.qualification_subject) if p.qualification_subject else "",
    "ec": lambda p, v: str(p.study_ec),
    "hours": lambda p, v: str(p.hours_available),
    "country": lambda p, v: p.foreign_diploma_country or "het buitenland",
}


@dataclass(slots=True)
class Template:
    """A compiled sentence. `static` holds the values fixed by the rule (route name, parameter)."""

    source: str
    parts: tuple[tuple[str, str | None], ...]
    static: dict[str, str]
    _cache: dict[tuple[str, ...], str] = field(default_factory=dict, repr=False)

    @property
    def dynamic_names(self) -> tuple[str, ...]:
        return tuple(name for _literal, name in self.parts if name and name not in self.static)

    def render(self, profile: CandidateProfile, vocabulary: Vocabulary) -> str:
        names = self.dynamic_names
        key = tuple(_GETTERS[name](profile, vocabulary) for name in names)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        values = dict(zip(names, key, strict=True)) | self.static
        text = "".join(literal + (values[name] if name else "") for literal, name in self.parts)
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = text
        return text


def compile_template(source: str, static: dict[str, str]) -> Template:
    """Split a template into (literal, placeholder) parts; unknown placeholders are an error."""
    parts: list[tuple[str, str | None]] = []
    try:
        parsed = list(Formatter().parse(source))
    except ValueError as error:
        raise TemplateError(f"cannot read the template ({error}); write a literal brace as {{{{ or }}}}") from None
    for literal, name, spec, conversion in parsed:
        if name is not None:
            if name not in PLACEHOLDERS:
                raise TemplateError(f"unknown placeholder {{{name}}} (known: {', '.join(sorted(PLACEHOLDERS))})")
            if spec or conversion:
                raise TemplateError(f"placeholder {{{name}}} may not have a format or conversion")
            if name not in _GETTERS and name not in static:
                raise TemplateError(f"placeholder {{{name}}} has no value here")
        parts.append((literal, name))
    return Template(source=source, parts=tuple(parts), static=static)
