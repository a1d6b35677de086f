"""Putting a service's refusal on the form the user submitted, so that what they typed stays."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.BaseForm, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's refusal in the form: on the field it names, otherwise at the top.

    `field_map` renames the service's argument names to the form's field names where they differ.
    """
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = field_map.get(name, name)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
