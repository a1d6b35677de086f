"""The one error type a service raises when it refuses, and the one for a stale version.

A service says no with a `DomainError`: a Dutch message for the person who tried (on a field or for the
whole change) and a stable `code` for programs. Pages put it on the form (`core.forms.add_service_errors`);
the API turns it into a problem+json response whose `invalidParams[].code` carries the code
(`api.problems`), with the HTTP status the error class names. Every app keeps its codes as constants next
to its errors, and docs/api.md lists them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A refusal by a service: Dutch message(s), one stable code, the HTTP status an API client gets.

    `message` is a text, a list of texts, or a dict {field: text or [texts]} like Django's
    ValidationError; every message gets the error's code unless it already is a ValidationError.
    """

    default_code = "invalid"
    http_status = 400

    def __init__(self, message: Any, code: str | None = None, params: dict | None = None) -> None:
        code = code or self.default_code
        if isinstance(message, dict):
            message = {field: self._coded(messages, code, params) for field, messages in message.items()}
        elif isinstance(message, list):
            message = self._coded(message, code, params)
        super().__init__(message, code=code, params=params)
        self.error_code = code

    @staticmethod
    def _coded(messages: Any, code: str, params: dict | None) -> list[ValidationError]:
        items = messages if isinstance(messages, list) else [messages]
        return [
            item if isinstance(item, ValidationError) else ValidationError(item, code=code, params=params)
            for item in items
        ]


class StaleVersion(DomainError):
    """Someone else saved the record after it was read: nothing was overwritten.

    Services raise it when `expected_version` differs from the record's `version`; the API answers 412.
    """

    default_code = "stale_version"
    http_status = 412


def actor_or_none(actor: Any) -> Any:
    """The user to store as the actor of a change: None for the system and for anonymous visitors."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def version_check(record: Any, expected_version: int | None, message: str | None = None) -> None:
    """Refuse with StaleVersion when the caller read another version than the record has now.

    `expected_version=None` means the caller takes the current version as it is (a task, the admin).
    """
    if expected_version is not None and int(expected_version) != record.version:
        raise StaleVersion(message or _stale_message())


def _stale_message() -> str:
    from django.utils.translation import gettext as _

    return _("Iemand anders heeft dit intussen gewijzigd. Er is niets overschreven: laad de pagina opnieuw.")
