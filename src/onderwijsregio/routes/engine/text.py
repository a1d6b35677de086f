"""Dutch explanation sentences from the rules file's templates, compiled once per ruleset.

A template is plain text with `{placeholder}`s from a fixed list (PLACEHOLDERS). Compiling splits
it into literal parts and value getters, so rendering is a join instead of a format-string parse,
and gives each template a `key`: the raw profile values it depends on. The engine memoises
rendered requirements on that key (advice.judge), because 50,000 candidates share a few hundred
distinct combinations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from operator import attrgetter
from string import Formatter
from typing import Any

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
    "targets": "where the candidate wants to teach: sectors, with levels in brackets when chosen",
    "scope": "where the route's result lets you work (the route's scope text)",
    "qualification": "the candidate's current teaching qualification in Dutch",
    "qualification_subject": "the subject of that qualification in Dutch",
    "ec": "the EC the candidate has in their current study",
    "hours": "hours per week the candidate has available",
    "country": "country of the foreign diploma",
    "route": "the route's name",
}


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
    "targets": lambda p, v: (
        _labels("sector", p.target_sectors, v, "de sector die je kiest")
        + (f" ({_labels('target_level', p.target_levels, v, '')})" if p.target_levels else "")
    ),
    "qualification_subject": lambda p, v: (
        v.subject(p.qualification_subject) if p.qualification_subject else "het vak van je bevoegdheid"
    ),
    "ec": lambda p, v: str(p.study_ec),
    "hours": lambda p, v: str(p.hours_available),
    "country": lambda p, v: p.foreign_diploma_country or "het buitenland",
}


# Which profile fields each placeholder reads: the memo key is built from these raw values, so a
# cache hit costs a few attribute reads instead of formatting words.
DEPENDS: dict[str, tuple[str, ...]] = {
    "subjects": ("target_subjects",),
    "field_phrase": ("education_field",),
    "education": ("education_level",),
    "dutch_level": ("dutch_level",),
    "sectors": ("target_sectors",),
    "levels": ("target_levels",),
    "targets": ("target_sectors", "target_levels"),
    "qualification": ("teaching_qualification",),
    "qualification_subject": ("qualification_subject",),
    "ec": ("study_ec",),
    "hours": ("hours_available",),
    "country": ("foreign_diploma_country",),
}


def _no_key(profile: CandidateProfile) -> tuple:
    return ()


@dataclass(slots=True)
class Template:
    """A compiled sentence. `static` holds the values fixed by the rule (route name, parameter)."""

    source: str
    parts: tuple[tuple[str, str | None], ...]
    static: dict[str, str]
    # The profile's raw values this sentence depends on (a memo key for whoever renders it).
    key: Callable[[CandidateProfile], Any] = _no_key
    dynamic_names: tuple[str, ...] = ()

    def render(self, profile: CandidateProfile, vocabulary: Vocabulary) -> str:
        values = {name: _GETTERS[name](profile, vocabulary) for name in self.dynamic_names} | self.static
        text = "".join(literal + (values[name] if name else "") for literal, name in self.parts)
        # A sentence may start with a placeholder ("{field_phrase} is ..."): capitalise it.
        return text[:1].upper() + text[1:]


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
    dynamic = tuple(dict.fromkeys(name for _literal, name in parts if name and name not in static))
    attributes = sorted({attribute for name in dynamic for attribute in DEPENDS[name]})
    key = attrgetter(*attributes) if attributes else _no_key
    return Template(source=source, parts=tuple(parts), static=static, key=key, dynamic_names=dynamic)
