"""Organisations, regions, school locations and reference data in the API (/api/v1/)."""

from __future__ import annotations

from rest_framework import serializers

from .models import Organisation


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]
