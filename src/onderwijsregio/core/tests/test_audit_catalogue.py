"""The audit-action catalogue: every action written is declared with a Dutch label, and the audit page shows it."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from onderwijsregio.core.audit import audit_action_known, audit_action_label, audit_actions
from onderwijsregio.core.services import audit_record

SRC = Path(__file__).resolve().parents[2]


def _modules_calling_audit_record() -> list[Path]:
    """Shipped modules (no tests, no migrations) that call audit_record."""
    return sorted(
        path
        for path in SRC.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and "audit_record(" in path.read_text()
    )


def _literal_actions(path: Path) -> list[tuple[int, str]]:
    """(line, source) of every audit_record(...) call whose `action` is written out as a string."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name != "audit_record":
            continue
        for keyword in node.keywords:
            if keyword.arg == "action" and isinstance(keyword.value, ast.Constant | ast.JoinedStr | ast.BinOp):
                found.append((node.lineno, ast.unparse(keyword.value)))
    return found


@pytest.mark.parametrize(
    "path", _modules_calling_audit_record(), ids=lambda path: str(path.relative_to(SRC)).replace("/", ".")
)
def test_audit_record_calls_use_a_declared_constant(path):
    assert _literal_actions(path) == [], f"{path.relative_to(SRC)}: use a constant from the app's audit.py"


def _audit_modules():
    for config in apps.get_app_configs():
        if config.name.startswith("onderwijsregio.") and (Path(config.path) / "audit.py").exists():
            yield importlib.import_module(f"{config.name}.audit")


@pytest.mark.parametrize("module", list(_audit_modules()), ids=lambda module: module.__name__)
def test_every_declared_constant_has_a_label_of_its_own(module):
    constants = {name: value for name, value in vars(module).items() if name.isupper() and isinstance(value, str)}
    for constant, action in constants.items():
        assert audit_action_known(action), f"{module.__name__}.{constant} is not declared"
        label = audit_action_label(action)
        assert label.strip(), f"{action} has no label"
        assert label != action, f"{action} is labelled with its own name"


def test_the_admin_declares_what_it_writes():
    # The audited admins declare created/changed/deleted for their models when they are registered.
    assert audit_action_known("organisations.organisation.changed_in_admin")
    assert audit_action_label("accounts.user.created_in_admin") != "accounts.user.created_in_admin"
    assert all(str(label).strip() for label in audit_actions().values())


@pytest.mark.django_db
def test_the_audit_page_shows_the_dutch_label_of_an_event(client):
    from onderwijsregio.accounts.tests.factories import UserFactory
    from onderwijsregio.organisations import audit
    from onderwijsregio.organisations.tests.factories import BoardFactory

    board = BoardFactory(name="Stichting Gelabeld")
    audit_record(actor=None, action=audit.ORGANISATION_UPDATED, obj=board, organisation_id=board.pk)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(reverse("accounts:audit_log")).content.decode()
    label = audit_action_label(audit.ORGANISATION_UPDATED)
    assert label == "Profiel van een organisatie gewijzigd"
    # In the event's row, with the action's name as its code, and as the filter's choice.
    assert f"{label}<br><code" in html
    assert f'<option value="organisation.updated">{label}</option>' in html


@pytest.mark.django_db
def test_audit_record_refuses_an_undeclared_action():
    from onderwijsregio.core.models import AuditEvent

    with pytest.raises(ValueError, match="not declared"):
        audit_record(actor=None, action="nobody.declared_this")
    assert not AuditEvent.objects.filter(action="nobody.declared_this").exists()
