"""Staff snapshots: a board's upload stored whole or not at all, the demo's rows, removal.

A snapshot upload stores everything or nothing: the file is validated whole first
(`importers.parse_snapshot`), and the snapshot with all its rows is written in one transaction.
Versions count per (board, reference date); the board's row is locked while numbering, so two
uploads at the same moment get different versions. Callers check permissions (views do).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from onderwijsregio.core.errors import DomainError, actor_or_none
from onderwijsregio.core.services import audit_record
from onderwijsregio.organisations.models import Organisation

from .. import audit
from ..errors import SnapshotRejected
from ..importers import parse_snapshot
from ..models import StaffRow, StaffSnapshot

BULK_BATCH = 1000


def _require_board(board: Organisation) -> None:
    if board.kind != Organisation.Kind.BOARD:
        raise DomainError(_("Een personeelsbestand hoort bij een schoolbestuur."), code="not_a_board")


def _read(file: Any) -> tuple[bytes, str]:
    if isinstance(file, bytes | bytearray):
        return bytes(file), ""
    name = getattr(file, "name", "") or ""
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(), name.rsplit("/", 1)[-1]


def _next_version(board: Organisation, reference_date: date) -> int:
    # Lock the board row: concurrent uploads for this board wait here, so versions never collide.
    Organisation.objects.select_for_update().filter(pk=board.pk).first()
    latest = StaffSnapshot.objects.filter(board=board, reference_date=reference_date).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def snapshot_upload(
    *,
    board: Organisation,
    reference_date: date,
    file: Any,
    actor: Any,
    filename: str = "",
    note: str = "",
) -> StaffSnapshot:
    """Validate the whole file and store it as the next version for (board, date), or raise SnapshotRejected."""
    _require_board(board)
    data, name = _read(file)
    filename = (filename or name)[:255]
    result = parse_snapshot(data, filename, board=board, reference_date=reference_date)
    if not result.ok:
        raise SnapshotRejected(result)
    return _snapshot_store(
        board=board,
        reference_date=reference_date,
        rows=result.rows,
        actor=actor,
        filename=filename,
        note=note,
        is_synthetic=False,
        file_kind=result.file_kind,
    )


@transaction.atomic
def _snapshot_store(
    *,
    board: Organisation,
    reference_date: date,
    rows: list[dict[str, Any]],
    actor: Any,
    filename: str,
    note: str,
    is_synthetic: bool,
    file_kind: str = "",
) -> StaffSnapshot:
    version = _next_version(board, reference_date)
    snapshot = StaffSnapshot(
        board=board,
        reference_date=reference_date,
        version=version,
        source_filename=filename,
        row_count=len(rows),
        total_fte=sum((Decimal(row["fte"]) for row in rows), Decimal("0")).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        ),
        is_synthetic=is_synthetic,
        note=note[:300],
        uploaded_by=actor_or_none(actor),
    )
    snapshot.full_clean()
    snapshot.save()
    StaffRow.objects.bulk_create([StaffRow(snapshot=snapshot, **row) for row in rows], batch_size=BULK_BATCH)
    audit_record(
        actor=actor,
        action=audit.SNAPSHOT_UPLOADED,
        obj=snapshot,
        organisation_id=board.pk,
        details={
            "reference_date": reference_date.isoformat(),
            "version": version,
            "rows": len(rows),
            "total_fte": str(snapshot.total_fte),
            "file_kind": file_kind,
            "is_synthetic": is_synthetic,
        },
    )
    return snapshot


def snapshot_store_rows(
    *,
    board: Organisation,
    reference_date: date,
    rows: list[dict[str, Any]],
    actor: Any = None,
    note: str = "",
    is_synthetic: bool = True,
) -> StaffSnapshot:
    """Store already validated rows (the synthetic demo generator uses this)."""
    _require_board(board)
    return _snapshot_store(
        board=board,
        reference_date=reference_date,
        rows=rows,
        actor=actor,
        filename="",
        note=note,
        is_synthetic=is_synthetic,
    )


@transaction.atomic
def snapshot_delete(*, snapshot: StaffSnapshot, actor: Any) -> None:
    """Remove a snapshot with all its rows; the audit log keeps that it existed."""
    audit_record(
        actor=actor,
        action=audit.SNAPSHOT_DELETED,
        obj=snapshot,
        organisation_id=snapshot.board_id,
        details={
            "reference_date": snapshot.reference_date.isoformat(),
            "version": snapshot.version,
            "rows": snapshot.row_count,
        },
    )
    snapshot.delete()
