"""Query parameters of the list endpoints, each declared as a serializer.

One serializer per endpoint both validates the parameters (a bad value is a 400 problem with
`invalidParams` naming the parameter) and documents them in the OpenAPI document
(`extend_schema(parameters=[...])`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from onderwijsregio.accounts.models import Role
from onderwijsregio.organisations.models import Organisation, Sector, VoLevel

PC4 = r"^\d{4}$"
CBS_CODE = r"^\d{4}$"
LABOUR_MARKET_REGION_CODE = r"^AM\d{2}$"


def parse_query(serializer_class: type[serializers.Serializer], request) -> dict:
    """Validated query parameters (absent ones left out); raises a 400 problem when invalid."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return {key: value for key, value in serializer.validated_data.items() if value not in (None, "")}


class MunicipalityQuery(serializers.Serializer):
    province = serializers.CharField(required=False, help_text="Naam van de provincie, bijvoorbeeld `Utrecht`.")
    labourMarketRegion = serializers.RegexField(
        LABOUR_MARKET_REGION_CODE, required=False, help_text="Code van de arbeidsmarktregio, bijvoorbeeld `AM14`."
    )


class PostcodeAreaQuery(serializers.Serializer):
    municipality = serializers.RegexField(CBS_CODE, required=False, help_text="CBS-code van de gemeente.")


class DistanceQuery(serializers.Serializer):
    """`from` and `to` are Python keywords, so the fields get their names in get_fields()."""

    def get_fields(self):
        pc4 = {"regex": PC4, "error_messages": {"invalid": _("Geef een postcode van 4 cijfers, bijvoorbeeld 3811.")}}
        return {
            "from": serializers.RegexField(help_text="Postcode (4 cijfers) van het beginpunt.", **pc4),
            "to": serializers.RegexField(help_text="Postcode (4 cijfers) van het eindpunt.", **pc4),
        }


class RegionAnalysisQuery(serializers.Serializer):
    sector = serializers.ChoiceField(
        choices=Sector.choices, required=False, help_text="Alleen vestigingen van deze sector."
    )


class OrganisationQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False)
    region = serializers.IntegerField(
        required=False, min_value=1, help_text="Id van een onderwijsregio: alleen haar deelnemers."
    )
    duoNumber = serializers.RegexField(
        r"^\d{5}$", required=False, help_text="DUO-nummer van het bevoegd gezag (5 cijfers)."
    )
    search = serializers.CharField(required=False, help_text="Zoek in de naam.")


class SchoolLocationQuery(serializers.Serializer):
    region = serializers.IntegerField(
        required=False, min_value=1, help_text="Id van een onderwijsregio: vestigingen die er nu bij horen."
    )
    board = serializers.IntegerField(required=False, min_value=1, help_text="Id van het bevoegd gezag.")
    municipality = serializers.RegexField(CBS_CODE, required=False, help_text="CBS-code van de gemeente.")
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    level = serializers.ChoiceField(choices=VoLevel.choices, required=False, help_text="Niveau in het vo.")
    search = serializers.CharField(required=False, help_text="Zoek in naam, plaats, postcode en vestigingscode.")


class MembershipQuery(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, min_value=1, help_text="Id van de organisatie.")
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    active = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="`true`: alleen lopende, `false`: alleen beëindigde."
    )


class AuditEventQuery(serializers.Serializer):
    action = serializers.CharField(required=False, help_text="Bijvoorbeeld `organisation.updated`.")
    personalDataRead = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Alleen (`true`) of zonder (`false`) inzage."
    )
    organisation = serializers.IntegerField(required=False, min_value=1, help_text="Id van de organisatie.")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateTimeField(required=False, help_text="Vanaf dit tijdstip (ISO 8601).")
        fields["to"] = serializers.DateTimeField(required=False, help_text="Tot dit tijdstip (ISO 8601).")
        return fields

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": _("`to` ligt vóór `from`.")})
        return attrs
