"""A region's forecast assumptions, changed under optimistic locking (its integer `version`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import DomainError, StaleVersion, actor_or_none, version_check
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation

from .. import assumptions as assumption_catalogue
from .. import audit
from ..models import AssumptionSet


def _require_region(region: Organisation) -> None:
    if region.kind != Organisation.Kind.REGION:
        raise DomainError(_("Aannames horen bij een onderwijsregio."), code="not_a_region")


@transaction.atomic
def assumptions_update(
    *, region: Organisation, values: dict[str, Any], actor: Any, expected_version: int | None
) -> AssumptionSet:
    """Change some or all of a region's assumptions (display units).

    `expected_version` is the version the user saw (0 when the region had none stored yet); when someone
    else saved in between, StaleVersion is raised and nothing changes.
    """
    _require_region(region)
    errors = assumption_catalogue.validate_values(values)
    if errors:
        raise DomainError(errors, code="invalid_assumption")
    assumption_set = AssumptionSet.objects.select_for_update().filter(region=region).first()
    current = assumption_set.version if assumption_set else 0
    stale = _("Iemand anders heeft de aannames intussen gewijzigd. Bekijk de nieuwe waarden; er is niets overschreven.")
    if assumption_set is not None:
        version_check(assumption_set, expected_version, stale)
    elif expected_version not in (None, 0):
        # Nothing stored yet is version 0: a page that showed stored values is out of date.
        raise StaleVersion(stale)
    before = assumption_catalogue.clean_values(assumption_set.values if assumption_set else None)
    after = dict(before)
    after.update({key: float(value) for key, value in values.items()})
    changed = sorted(key for key in after if after[key] != before[key])
    if assumption_set is None:
        assumption_set = AssumptionSet(region=region, version=1)
    else:
        assumption_set.version = current + 1
    assumption_set.values = after
    assumption_set.updated_by = actor_or_none(actor)
    assumption_set.save()
    audit_record(
        actor=actor,
        action=audit.ASSUMPTIONS_UPDATED,
        obj=assumption_set,
        organisation_id=region.pk,
        details={"changed": {key: [before[key], after[key]] for key in changed}, "version": assumption_set.version},
    )
    return assumption_set
