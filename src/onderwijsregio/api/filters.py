"""Query parameters of the list endpoints: each endpoint declares them as a serializer in its app's api module.

That one serializer both validates the parameters (a bad value is a 400 problem with
`invalidParams` naming the parameter) and documents them in the OpenAPI document
(`extend_schema(parameters=[...])`).
"""

from __future__ import annotations

from rest_framework import serializers


def parse_query(serializer_class: type[serializers.Serializer], request) -> dict:
    """Validated query parameters (absent ones left out); raises a 400 problem when invalid."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return {key: value for key, value in serializer.validated_data.items() if value not in (None, "")}
