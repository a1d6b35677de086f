"""Scenarios of a board or region: named sets of levers, changed under optimistic locking."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import DomainError, actor_or_none, version_check
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation

from .. import audit
from ..models import Scenario
from ..scenarios import LEVERS_BY_KEY, validate_levers


def _check_levers(levers: dict[str, Any]) -> dict[str, float]:
    errors = validate_levers(levers)
    if errors:
        raise DomainError(errors, code="invalid_lever")
    return {key: float(value) for key, value in levers.items() if key in LEVERS_BY_KEY}


def _check_name(owner: Organisation, name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError({"name": _("Geef het scenario een naam.")}, code="name_required")
    clash = Scenario.objects.filter(owner=owner, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError({"name": _("Er is al een scenario met deze naam.")}, code="name_taken")
    return name


@transaction.atomic
def scenario_create(
    *, owner: Organisation, name: str, levers: dict[str, Any], actor: Any, description: str = ""
) -> Scenario:
    if owner.kind not in (Organisation.Kind.BOARD, Organisation.Kind.REGION):
        raise DomainError(
            _("Een scenario hoort bij een schoolbestuur of een onderwijsregio."), code="not_a_board_or_region"
        )
    scenario = Scenario(
        owner=owner,
        name=_check_name(owner, name),
        description=description.strip(),
        levers=_check_levers(levers),
        created_by=actor_or_none(actor),
    )
    scenario.full_clean()
    try:
        with transaction.atomic():
            scenario.save()
    except IntegrityError as error:
        raise DomainError({"name": _("Er is al een scenario met deze naam.")}, code="name_taken") from error
    audit_record(
        actor=actor,
        action=audit.SCENARIO_CREATED,
        obj=scenario,
        organisation_id=owner.pk,
        details={"levers": scenario.levers},
    )
    return scenario


@transaction.atomic
def scenario_update(
    *,
    scenario: Scenario,
    actor: Any,
    expected_version: int | None = None,
    name: str | None = None,
    description: str | None = None,
    levers: dict[str, Any] | None = None,
) -> Scenario:
    locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
    version_check(
        locked,
        expected_version,
        _("Iemand anders heeft dit scenario intussen gewijzigd. Laad de pagina opnieuw; er is niets overschreven."),
    )
    if name is not None:
        locked.name = _check_name(locked.owner, name, exclude_pk=locked.pk)
    if description is not None:
        locked.description = description.strip()
    if levers is not None:
        locked.levers = _check_levers(levers)
    locked.full_clean()
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action=audit.SCENARIO_UPDATED,
        obj=locked,
        organisation_id=locked.owner_id,
        details={"levers": locked.levers, "version": locked.version},
    )
    return locked


@transaction.atomic
def scenario_delete(*, scenario: Scenario, actor: Any) -> None:
    audit_record(
        actor=actor,
        action=audit.SCENARIO_DELETED,
        obj=scenario,
        organisation_id=scenario.owner_id,
        details={"levers": scenario.levers},
    )
    scenario.delete()
