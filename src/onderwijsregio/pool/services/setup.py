"""A pool's set-up: its policy and the boards that take part."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import version_check
from onderwijsregio.core.services import (
    audit_record,
)
from onderwijsregio.organisations.models import Organisation, Subject

from .. import audit
from ..errors import PoolError
from ..models import (
    Pool,
    PoolBoard,
    ReplacementRequest,
)

logger = logging.getLogger(__name__)


POOL_POLICY_FIELDS = (
    "name",
    "description",
    "is_active",
    "long_term_days",
    "levels",
    "allow_partial",
    "allow_in_training",
    "vog_max_age_months",
    "contribution_key",
    "payroll_rate",
    "agency_rate",
    "release_own_board_after_days",
    "release_pool_after_days",
    "offer_valid_hours",
    "fairness_window_months",
    "auto_batch",
)


@transaction.atomic
def pool_update(
    *,
    pool: Pool,
    actor: Any,
    data: dict,
    subjects: Iterable[Subject] | None = None,
    expected_version: int | None = None,
) -> Pool:
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    version_check(
        pool, expected_version, _("Iemand anders heeft het beleid intussen gewijzigd. Laad de pagina opnieuw.")
    )
    changed = sorted(f for f in POOL_POLICY_FIELDS if f in data and data[f] != getattr(pool, f))
    for field in POOL_POLICY_FIELDS:
        if field in data:
            setattr(pool, field, data[field])
    if pool.release_pool_after_days < pool.release_own_board_after_days:
        raise PoolError(
            {"release_pool_after_days": [_("De hele pool komt niet eerder aan de beurt dan het eigen bestuur.")]},
            code="release_order",
        )
    try:
        pool.full_clean(exclude=["region", "sub_region", "slug"])
    except ValidationError as error:
        raise PoolError(error.error_dict) from error
    pool.version += 1
    pool.save()
    if subjects is not None:
        pool.subjects.set(subjects)
        changed.append("subjects")
    audit_record(
        actor=actor, action=audit.POLICY_UPDATED, obj=pool, organisation_id=pool.region_id, details={"fields": changed}
    )
    return pool


@transaction.atomic
def pool_board_save(*, pool: Pool, actor: Any, board: Organisation, data: dict) -> Any:
    participation, created = PoolBoard.objects.get_or_create(pool=pool, board=board)
    for field, value in data.items():
        setattr(participation, field, value)
    try:
        participation.full_clean()
    except ValidationError as error:
        raise PoolError(error.error_dict) from error
    participation.save()
    audit_record(
        actor=actor,
        action=audit.BOARD_ADDED if created else audit.BOARD_UPDATED,
        obj=participation,
        organisation_id=pool.region_id,
        details={"board": board.pk},
    )
    return participation


@transaction.atomic
def pool_board_remove(*, participation: PoolBoard, actor: Any) -> None:
    pool = participation.pool
    if pool.requests.filter(board_id=participation.board_id, status__in=ReplacementRequest.OPEN_STATUSES).exists():
        raise PoolError(
            _("Dit bestuur heeft nog open aanvragen in de pool; trek die eerst in."), code="board_has_requests"
        )
    audit_record(
        actor=actor,
        action=audit.BOARD_REMOVED,
        obj=participation,
        organisation_id=pool.region_id,
        details={"board": participation.board_id},
    )
    participation.delete()
