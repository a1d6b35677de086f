"""The filter form of the funnel page: region, target group, route, subject, sub-region, period, breakdown."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onderwijsregio.organisations.models import Organisation, Subject, SubRegion

from .. import funnel
from ..models import TargetGroup


class FunnelFilterForm(forms.Form):
    regio = forms.ModelChoiceField(
        label=gettext_lazy("Onderwijsregio"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        empty_label=gettext_lazy("Alle regio's"),
    )
    doelgroep = forms.ChoiceField(
        label=gettext_lazy("Doelgroep"),
        required=False,
        choices=[("", gettext_lazy("Alle doelgroepen")), *TargetGroup.choices],
    )
    route = forms.ChoiceField(label=gettext_lazy("Route"), required=False, choices=[])
    vak = forms.ModelChoiceField(
        label=gettext_lazy("Vak"),
        required=False,
        queryset=Subject.objects.order_by("name"),
        to_field_name="code",
        empty_label=gettext_lazy("Alle vakken"),
    )
    subregio = forms.ModelChoiceField(
        label=gettext_lazy("Subregio"),
        required=False,
        queryset=SubRegion.objects.none(),
        empty_label=gettext_lazy("Alle subregio's"),
    )
    van = forms.DateField(
        label=gettext_lazy("Aangemeld vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Vul een datum in als 2026-01-31.")},
    )
    tot = forms.DateField(
        label=gettext_lazy("Aangemeld tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Vul een datum in als 2026-12-31.")},
    )
    uitsplitsing = forms.ChoiceField(
        label=gettext_lazy("Uitsplitsen naar"), required=False, choices=list(funnel.DIMENSIONS.items())
    )

    def __init__(self, *args, scope: funnel.FunnelScope, **kwargs):
        super().__init__(*args, **kwargs)
        regions = funnel.funnel_regions(scope=scope).order_by("name")
        self.fields["regio"].queryset = regions
        self.show_region = scope.region_ids is None or len(scope.region_ids) > 1
        self.fields["subregio"].queryset = funnel.funnel_subregions(scope=scope)
        self.fields["subregio"].label_from_instance = lambda subregion: (
            subregion.name if not self.show_region else f"{subregion.name} ({subregion.region.name})"
        )
        self.fields["route"].choices = [("", _("Alle routes"))] + [
            (route_id, route_id) for route_id in funnel.funnel_route_ids(scope=scope)
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return cleaned

    def filters(self) -> tuple[funnel.FunnelFilters, str]:
        """The filters and breakdown to report on; a filter that did not validate is left out."""
        data = self.cleaned_data if self.is_bound else {}
        if self.is_bound and self.errors:
            data = {name: value for name, value in data.items() if name not in self.errors}
        return (
            funnel.FunnelFilters(
                region=data.get("regio"),
                target_group=data.get("doelgroep") or "",
                route_id=data.get("route") or "",
                subject=data.get("vak"),
                subregion=data.get("subregio"),
                registered_from=data.get("van"),
                registered_to=data.get("tot"),
            ),
            data.get("uitsplitsing") or "target_group",
        )
