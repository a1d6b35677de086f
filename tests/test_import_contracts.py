"""The contract type that forbids names inside external packages (scripts/import_contracts.py)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from import_contracts import _patterns


@pytest.mark.parametrize(
    ("line", "forbidden"),
    [
        ("from django.db import transaction", True),
        ("from django.db import models, transaction", True),
        ("from django.db import (IntegrityError, transaction)", True),
        ("from django.db.transaction import atomic", True),
        ("import django.db.transaction", True),
        ("from django.db import models", False),
        ("from django.db.models import Q", False),
        ("from django.db import transactions_helper", False),
        ("import django.db", False),
    ],
)
def test_forbidden_name_is_recognised_in_every_import_form(line, forbidden):
    assert any(pattern.search(line) for pattern in _patterns("django.db.transaction")) is forbidden
