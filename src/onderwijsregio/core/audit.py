"""The catalogue of audit actions: every action the log can hold, with its Dutch label.

Each app declares its actions as constants in its own `audit.py` (`ACTION = audit_action("app.thing_done",
_("label"))`); the core app loads every app's `audit.py` at start-up, `audit_record` refuses an action that
is not in the catalogue, and the audit page lists and labels actions from here. So an action name is
written once, and a new one cannot reach the log without a label.
"""

from __future__ import annotations

from django.utils.functional import Promise

_CATALOGUE: dict[str, Promise | str] = {}


def audit_action(name: str, label: Promise | str) -> str:
    """Declare one action; returns its name, to be used as a constant."""
    known = _CATALOGUE.get(name)
    if known is not None and str(known) != str(label):
        raise ValueError(f"audit action {name!r} is declared twice with different labels")
    _CATALOGUE[name] = label
    return name


def audit_action_known(name: str) -> bool:
    return name in _CATALOGUE


def audit_action_label(name: str) -> str:
    """The Dutch (or active language's) label; an unknown name from an older release shows as itself."""
    label = _CATALOGUE.get(name)
    return str(label) if label is not None else name


def audit_actions() -> dict[str, Promise | str]:
    """Every declared action, by name."""
    return dict(_CATALOGUE)
