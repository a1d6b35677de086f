"""Query parameters of the list endpoints: each endpoint declares them as a serializer in its app's api module.

That one serializer both validates the parameters (a bad value is a 400 problem with
`invalidParams` naming the parameter) and documents them in the OpenAPI document
(`extend_schema(parameters=[...])`). A parameter the serializer does not declare is refused as
well: a misspelt filter would otherwise silently return everything, unfiltered.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .problems import InvalidParams

# The largest id a BigAutoField (SQLite INTEGER, PostgreSQL bigint) can hold. A larger number can
# name no record, and SQLite cannot even bind it (OverflowError, a 500), so it is refused as input.
MAX_ID = 2**63 - 1

# Pagination (api/pagination.py) reads and validates these itself; every list endpoint takes them.
PAGINATION_PARAMS = frozenset({"page", "pageSize"})


class IdField(serializers.IntegerField):
    """The id of a record in a query parameter or body: a positive integer a database can hold."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class NoQuery(serializers.Serializer):
    """For a list endpoint without filters: only the pagination parameters are accepted."""


def parse_query(serializer_class: type[serializers.Serializer], request) -> dict:
    """Validated query parameters (absent ones left out); raises a 400 problem when invalid or unknown."""
    serializer = serializer_class(data=request.query_params)
    known = set(serializer.fields) | PAGINATION_PARAMS
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        reason = str(_("Deze parameter bestaat hier niet."))
        raise InvalidParams([{"name": name, "code": "unknown_parameter", "reason": reason} for name in unknown])
    serializer.is_valid(raise_exception=True)
    return {key: value for key, value in serializer.validated_data.items() if value not in (None, "")}
