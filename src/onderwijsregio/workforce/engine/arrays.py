"""Column-wise staff input for the forecast: one numpy array per field instead of one object per person.

`forecast()` accepts `StaffRecord` objects for convenience; at national scale (250,000 people) the
app and the benchmark build a `StaffArrays` from columns (a queryset's `values_list`, a CSV) with
`StaffArrays.from_columns(...)` and call `forecast_arrays()`, so no per-person Python object is made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .types import DEGREES, FUNCTIONS, GroupKey, StaffRecord

NO_EXIT = 0  # value of `planned_exit_year` for people without a planned exit


@dataclass(frozen=True, eq=False)
class StaffArrays:
    """The staff of a snapshot as parallel arrays; person i belongs to `groups[group[i]]`.

    `groups` is sorted (GroupKey order) and holds only groups with at least one person.
    `absence_pct` is NaN where the board supplied no figure; `planned_exit_year` is `NO_EXIT` (0)
    for people without a planned exit. `start_year_education` is not used by the model.
    """

    groups: tuple[GroupKey, ...]
    group: np.ndarray  # (n,) int64, index into groups
    birth_year: np.ndarray  # (n,) int64
    fte: np.ndarray  # (n,) float64
    start_year_board: np.ndarray  # (n,) int64
    absence_pct: np.ndarray  # (n,) float64, NaN = not supplied
    planned_exit_year: np.ndarray  # (n,) int64, NO_EXIT = none

    def __post_init__(self) -> None:
        n = len(self.group)
        coerced = {
            "group": np.ascontiguousarray(self.group, dtype=np.int64),
            "birth_year": np.ascontiguousarray(self.birth_year, dtype=np.int64),
            "fte": np.ascontiguousarray(self.fte, dtype=np.float64),
            "start_year_board": np.ascontiguousarray(self.start_year_board, dtype=np.int64),
            "absence_pct": np.ascontiguousarray(self.absence_pct, dtype=np.float64),
            "planned_exit_year": np.ascontiguousarray(self.planned_exit_year, dtype=np.int64),
        }
        for name, array in coerced.items():
            if array.shape != (n,):
                raise ValueError(f"StaffArrays.{name} has shape {array.shape}, expected ({n},)")
            object.__setattr__(self, name, array)
        object.__setattr__(self, "groups", tuple(self.groups))
        if n and (coerced["group"].min() < 0 or coerced["group"].max() >= len(self.groups)):
            raise ValueError("StaffArrays.group points outside groups")
        fte = coerced["fte"]
        if not np.all(np.isfinite(fte)) or (n and fte.min() < 0):
            raise ValueError("fte must be finite and not negative")
        absence = coerced["absence_pct"]
        if np.any(absence[~np.isnan(absence)] < 0):
            raise ValueError("absence_pct must not be negative")
        for key in self.groups:
            if key.function not in FUNCTIONS:
                raise ValueError(f"unknown function {key.function!r} (expected one of {FUNCTIONS})")
            if key.degree not in DEGREES:
                raise ValueError(f"unknown degree {key.degree!r} (expected one of {DEGREES})")
        if list(self.groups) != sorted(self.groups) or len(set(self.groups)) != len(self.groups):
            raise ValueError("StaffArrays.groups must be sorted and unique")

    def __len__(self) -> int:
        return len(self.group)

    @classmethod
    def from_columns(
        cls,
        *,
        board_id: Sequence[int] | np.ndarray,
        function: Sequence[str] | np.ndarray,
        subject: Sequence[str] | np.ndarray,
        degree: Sequence[str] | np.ndarray,
        birth_year: Sequence[int] | np.ndarray,
        fte: Sequence[float] | np.ndarray,
        start_year_board: Sequence[int] | np.ndarray,
        absence_pct: Sequence[float | None] | np.ndarray | None = None,
        planned_exit_year: Sequence[int | None] | np.ndarray | None = None,
    ) -> StaffArrays:
        """Group the people by (board, function, subject, degree) with numpy (sorting, no Python loop per person).

        `absence_pct` may hold None or NaN for "not supplied"; `planned_exit_year` None or 0 for "none".
        """
        boards = np.asarray(board_id, dtype=np.int64)
        n = len(boards)
        columns = [np.asarray(function, dtype=str), np.asarray(subject, dtype=str), np.asarray(degree, dtype=str)]
        if any(len(column) != n for column in columns):
            raise ValueError("all columns must have the same length")
        # Codes from sorted unique values keep the composite code in GroupKey order.
        board_values, code = np.unique(boards, return_inverse=True)
        uniques = [board_values]
        for column in columns:
            values, column_code = np.unique(column, return_inverse=True)
            code = code * max(len(values), 1) + column_code
            uniques.append(values)
        group_codes, group = np.unique(code, return_inverse=True)
        sizes = [max(len(values), 1) for values in uniques]
        groups = []
        for composite in group_codes.tolist():
            parts = []
            for size in reversed(sizes):
                parts.append(composite % size)
                composite //= size
            b, f, s, d = reversed(parts)
            groups.append(GroupKey(int(uniques[0][b]), str(uniques[1][f]), str(uniques[2][s]), str(uniques[3][d])))
        return cls(
            groups=tuple(groups),
            group=group.reshape(-1),
            birth_year=np.asarray(birth_year, dtype=np.int64),
            fte=np.asarray(fte, dtype=np.float64),
            start_year_board=np.asarray(start_year_board, dtype=np.int64),
            absence_pct=_optional_floats(absence_pct, n),
            planned_exit_year=_optional_years(planned_exit_year, n),
        )

    @classmethod
    def from_records(cls, records: Sequence[StaffRecord]) -> StaffArrays:
        return cls.from_columns(
            board_id=[r.board_id for r in records],
            function=[r.function for r in records],
            subject=[r.subject for r in records],
            degree=[r.degree for r in records],
            birth_year=[r.birth_year for r in records],
            fte=[r.fte for r in records],
            start_year_board=[r.start_year_board for r in records],
            absence_pct=[r.absence_pct for r in records],
            planned_exit_year=[r.planned_exit_year for r in records],
        )


def _optional_floats(values, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, np.nan)
    if isinstance(values, np.ndarray):
        return values.astype(np.float64)
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _optional_years(values, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, NO_EXIT, dtype=np.int64)
    if isinstance(values, np.ndarray):
        return values.astype(np.int64)
    return np.array([NO_EXIT if v is None else int(v) for v in values], dtype=np.int64)
