"""Audit actions that exist only in tests: events of any kind that a test writes to check the log itself.

`audit_record` refuses an action that no catalogue declares, so tests that need an arbitrary event
declare it here; the root conftest loads this module for every test run.
"""

from onderwijsregio.core.audit import audit_action

TEST_ACTIONS = [
    audit_action(name, f"Testactie {name}")
    for name in (
        "a",
        "b",
        "elsewhere",
        "import.finished",
        "original",
        "secret.action",
        "test.a",
        "test.b",
        "test.bulk",
        "test.other",
        "test.own",
        "x",
    )
]
