"""The catalogue of audit actions: every action the log can hold, with its Dutch label.

Each app declares its actions as constants in its own `audit.py` (`ACTION = audit_action("app.thing_done",
_("label"))`); the core app loads every app's `audit.py` at start-up, `audit_record` refuses an action that
is not in the catalogue, and the audit page lists and labels actions from here. So an action name is
written once, and a new one cannot reach the log without a label.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

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


# What the admin does to a model; `AuditedAdminMixin` writes `<app>.<model>.<verb>_in_admin`.
ADMIN_VERBS = {
    "created": _("aangemaakt in het beheer"),
    "changed": _("gewijzigd in het beheer"),
    "deleted": _("verwijderd in het beheer"),
}


def admin_audit_actions(model: Any) -> dict[str, str]:
    """Declare the admin's actions on `model` (created, changed, deleted); returns their names by verb.

    The admin calls this when a model is registered with an audited ModelAdmin, so the names the
    admin writes are in the catalogue like every other action.
    """
    return {
        verb: audit_action(
            f"{model._meta.label_lower}.{verb}_in_admin",
            format_lazy("{model}: {verb}", model=capfirst(model._meta.verbose_name), verb=text),
        )
        for verb, text in ADMIN_VERBS.items()
    }
