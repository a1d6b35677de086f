"""Accounts, memberships, the audit log and jobs in the API (/api/v1/)."""

from __future__ import annotations

from rest_framework import serializers


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    fullName = serializers.CharField(source="full_name")
