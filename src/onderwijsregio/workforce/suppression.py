"""Small-cell suppression for regional workforce views: nobody may be recognisable from a published figure.

The rule (the same for pages, XLSX and reports of a region):

1. **Primary suppression.** A cell describing 1 to 4 persons (``0 < count < 5``) is not shown; it reads
   "<5". A cell about nobody (count 0) is shown: it says nothing about a person.
2. **Own-contribution rule.** In a region, every board knows its own figures and could subtract them
   from the regional total. So a cell is also suppressed ("<5") when the persons of the *other* boards
   in it number 1 to 4: ``0 < count - largest_board_count < 5``. The largest contributor is the worst
   case: any other board subtracting itself leaves at least as many persons.
3. **Secondary (complementary) suppression.** A table is published with its row and column totals.
   When a suppressed cell could be worked out exactly from the published cells and totals (for
   instance, the only suppressed cell in a row whose total is shown), another cell is hidden too; it
   reads "–". The check is exact linear algebra over all row and column equations at once: a hidden
   cell is recoverable exactly when its unit vector lies in the row space of the equations restricted
   to the hidden cells. Cells are added greedily (the smallest non-empty cell in the same row or column
   first, so as little as possible is hidden) until no hidden cell is recoverable.

The counts are those of the persons a cell describes, which the caller supplies: the snapshot's heads
of a subject for every year of that subject's row (a projection of few people says something about
those people in every year), or the value itself for tables of heads (age pyramid, retirements). Only
exact recovery is prevented, not narrowing a value down to a range (values are not negative); this is
the usual standard for published statistics (CBS) and what the issue asks.

This module is pure (no Django): the views, XLSX export and reports all call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

THRESHOLD = 5
SHOWN = "shown"
PRIMARY = "primary"  # fewer than five persons: "<5"
SECONDARY = "secondary"  # hidden so a "<5" cell cannot be recovered from totals: "–"
PRIMARY_TEXT = "<5"
SECONDARY_TEXT = "–"


@dataclass(frozen=True)
class Cell:
    value: float | None  # None when not published
    state: str = SHOWN

    @property
    def shown(self) -> bool:
        return self.state == SHOWN

    @property
    def text(self) -> str:
        """What a page shows in place of a hidden value."""
        if self.state == PRIMARY:
            return PRIMARY_TEXT
        if self.state == SECONDARY:
            return SECONDARY_TEXT
        return ""


@dataclass(frozen=True)
class SuppressedTable:
    cells: tuple[tuple[Cell, ...], ...]  # rows x columns
    row_totals: tuple[Cell, ...]  # empty when the table has no row totals
    column_totals: tuple[Cell, ...]  # empty when the table has no column totals
    grand_total: Cell | None

    @property
    def hidden_count(self) -> int:
        every = [cell for row in self.cells for cell in row] + [*self.row_totals, *self.column_totals]
        if self.grand_total is not None:
            every.append(self.grand_total)
        return sum(1 for cell in every if not cell.shown)


def is_sensitive(count: float, largest: float | None = None, threshold: int = THRESHOLD) -> bool:
    """Rules 1 and 2: does this cell describe fewer than `threshold` persons (of the other boards)?"""
    if 0 < count < threshold:
        return True
    if largest is not None:
        others = count - largest
        # Rounding noise below half a person is not another person.
        if 0.5 <= others < threshold:
            return True
    return False


def suppress_values(
    values: Sequence[float], counts: Sequence[float], largest: Sequence[float] | None = None
) -> list[Cell]:
    """A list of independent cells (no published total): primary suppression only."""
    return [
        Cell(None, PRIMARY) if is_sensitive(count, largest[index] if largest is not None else None) else Cell(value)
        for index, (value, count) in enumerate(zip(values, counts, strict=True))
    ]


def _equations(n_rows: int, n_cols: int, row_totals: bool, column_totals: bool) -> list[list[int]]:
    """Each published sum as the list of variable indexes it adds up, with its total as a variable too.

    Variables: the cells (r * n_cols + c), then row totals, column totals and the grand total. An equation
    says sum(parts) - total = 0, which we keep as index lists; the sign does not matter for the rank.
    """
    cell = lambda r, c: r * n_cols + c  # noqa: E731
    base = n_rows * n_cols
    row_total = lambda r: base + r  # noqa: E731
    col_total = lambda c: base + (n_rows if row_totals else 0) + c  # noqa: E731
    grand = base + (n_rows if row_totals else 0) + (n_cols if column_totals else 0)
    equations: list[list[int]] = []
    if row_totals:
        equations += [[*(cell(r, c) for c in range(n_cols)), row_total(r)] for r in range(n_rows)]
    if column_totals:
        equations += [[*(cell(r, c) for r in range(n_rows)), col_total(c)] for c in range(n_cols)]
    if row_totals and column_totals:
        equations.append([*(row_total(r) for r in range(n_rows)), grand])
        equations.append([*(col_total(c) for c in range(n_cols)), grand])
    return equations


def recoverable(hidden: Sequence[int], equations: Sequence[Sequence[int]], n_variables: int) -> set[int]:
    """The hidden variables an attacker can compute exactly from the published ones and the equations.

    Signs: every equation is `parts - total = 0`; the total is the last index of each list.
    """
    hidden = sorted(set(hidden))
    if not hidden:
        return set()
    position = {variable: index for index, variable in enumerate(hidden)}
    rows = []
    for equation in equations:
        row = np.zeros(len(hidden))
        touched = False
        for k, variable in enumerate(equation):
            if variable in position:
                row[position[variable]] = -1.0 if k == len(equation) - 1 else 1.0
                touched = True
        if touched:
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    # x is determined exactly when every solution of matrix @ x = 0 has x_i = 0, i.e. the null space
    # has no component along i. One SVD per call instead of a rank test per hidden cell.
    _u, singular, vt = np.linalg.svd(matrix)
    tolerance = max(matrix.shape) * np.finfo(float).eps * (singular[0] if len(singular) else 0.0)
    rank = int((singular > tolerance).sum())
    null_space = vt[rank:]
    return {variable for variable, index in position.items() if not np.any(np.abs(null_space[:, index]) > 1e-9)}


def suppress_table(
    values: Sequence[Sequence[float]],
    counts: Sequence[Sequence[float]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    largest: Sequence[Sequence[float]] | None = None,
    row_total_counts: Sequence[float] | None = None,
    column_total_counts: Sequence[float] | None = None,
    grand_total_count: float | None = None,
    row_total_largest: Sequence[float] | None = None,
    column_total_largest: Sequence[float] | None = None,
    grand_total_largest: float | None = None,
    threshold: int = THRESHOLD,
) -> SuppressedTable:
    """Suppress a table with its totals (rules 1-3 in the module docstring).

    Totals are the sums of the values. Their person counts default to the sums of the cell counts;
    pass them when a person can sit in more than one cell (a teacher of two subjects) so a total is
    judged by its real number of persons.
    """
    value_matrix = np.asarray(values, dtype=float).reshape(len(values), -1) if len(values) else np.zeros((0, 0))
    count_matrix = np.asarray(counts, dtype=float).reshape(value_matrix.shape)
    n_rows, n_cols = value_matrix.shape
    largest_matrix = None if largest is None else np.asarray(largest, dtype=float).reshape(value_matrix.shape)

    row_sum = value_matrix.sum(axis=1)
    col_sum = value_matrix.sum(axis=0)
    row_count = np.asarray(row_total_counts, dtype=float) if row_total_counts is not None else count_matrix.sum(1)
    col_count = np.asarray(column_total_counts, dtype=float) if column_total_counts is not None else count_matrix.sum(0)
    grand_count = float(grand_total_count) if grand_total_count is not None else float(count_matrix.sum())

    # Variables in the order of _equations.
    variables: list[tuple[float, float, float | None]] = []  # (value, count, largest)
    for r in range(n_rows):
        for c in range(n_cols):
            variables.append(
                (
                    float(value_matrix[r, c]),
                    float(count_matrix[r, c]),
                    None if largest_matrix is None else float(largest_matrix[r, c]),
                )
            )
    if row_totals:
        for r in range(n_rows):
            variables.append(
                (float(row_sum[r]), float(row_count[r]), None if row_total_largest is None else row_total_largest[r])
            )
    if column_totals:
        for c in range(n_cols):
            variables.append(
                (
                    float(col_sum[c]),
                    float(col_count[c]),
                    None if column_total_largest is None else column_total_largest[c],
                )
            )
    has_grand = row_totals and column_totals
    if has_grand:
        variables.append((float(value_matrix.sum()), grand_count, grand_total_largest))

    states = [PRIMARY if is_sensitive(count, big, threshold) else SHOWN for _value, count, big in variables]
    equations = _equations(n_rows, n_cols, row_totals, column_totals)
    n_cells = n_rows * n_cols

    def neighbours(variable: int) -> list[int]:
        """Variables sharing an equation with `variable` (candidates for complementary suppression)."""
        found: list[int] = []
        for equation in equations:
            if variable in equation:
                found += [other for other in equation if other != variable]
        return found

    while True:
        hidden = [index for index, state in enumerate(states) if state != SHOWN]
        exposed = recoverable(hidden, equations, len(variables))
        if not exposed:
            break
        chosen = None
        candidates = [v for target in sorted(exposed) for v in neighbours(target) if states[v] == SHOWN]
        if candidates:
            # Fewest cells still recoverable afterwards (one cell often protects a row and a column),
            # then interior cells before totals, non-empty before empty (an empty cell hides nothing),
            # then the smallest, so as little as possible is hidden.
            chosen = min(
                dict.fromkeys(candidates),
                key=lambda v: (
                    len(recoverable([*hidden, v], equations, len(variables))),
                    v >= n_cells,
                    variables[v][1] <= 0,
                    abs(variables[v][1]),
                    abs(variables[v][0]),
                    v,
                ),
            )
        if chosen is None:
            # Every neighbour of every exposed cell is hidden already; hide any shown variable that shares
            # an equation with a hidden one (ends at the latest when everything is hidden).
            hidden_set = set(hidden)
            chosen = next(
                (v for equation in equations if hidden_set & set(equation) for v in equation if states[v] == SHOWN),
                None,
            )
            if chosen is None:  # pragma: no cover - a closed system of hidden cells cannot pin one down
                break
        states[chosen] = SECONDARY

    def cell(index: int) -> Cell:
        state = states[index]
        return Cell(variables[index][0] if state == SHOWN else None, state)

    cells = tuple(tuple(cell(r * n_cols + c) for c in range(n_cols)) for r in range(n_rows))
    offset = n_cells
    row_cells: tuple[Cell, ...] = ()
    if row_totals:
        row_cells = tuple(cell(offset + r) for r in range(n_rows))
        offset += n_rows
    col_cells: tuple[Cell, ...] = ()
    if column_totals:
        col_cells = tuple(cell(offset + c) for c in range(n_cols))
        offset += n_cols
    return SuppressedTable(
        cells=cells,
        row_totals=row_cells,
        column_totals=col_cells,
        grand_total=cell(offset) if has_grand else None,
    )
