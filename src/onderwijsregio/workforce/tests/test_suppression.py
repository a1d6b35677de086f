"""Small-cell suppression: no published cell describes 1-4 persons, and no hidden value can be recovered
exactly from the published cells and the row and column totals."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from onderwijsregio.workforce import suppression
from onderwijsregio.workforce.suppression import PRIMARY, SECONDARY, SHOWN, suppress_table, suppress_values


def tables(max_side: int = 5):
    return st.integers(1, max_side).flatmap(
        lambda rows: st.integers(1, max_side).flatmap(
            lambda cols: st.lists(
                st.lists(st.integers(0, 14), min_size=cols, max_size=cols), min_size=rows, max_size=rows
            )
        )
    )


def determined(hidden: list[int], equations: list[list[int]]) -> set[int]:
    """Hidden variables fixed by the equations (each: cells... - total = 0), by exact Gaussian elimination.

    Written independently of the module (fractions, reduced row echelon form): variable i is determined
    when some row of the reduced system has its only non-zero entry at i.
    """
    index = {v: i for i, v in enumerate(hidden)}
    rows = []
    for equation in equations:
        row = [Fraction(0)] * len(hidden)
        for k, v in enumerate(equation):
            if v in index:
                row[index[v]] += -1 if k == len(equation) - 1 else 1
        if any(row):
            rows.append(row)
    pivot_row = 0
    for col in range(len(hidden)):
        pivot = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [value / lead for value in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    found = set()
    for row in rows:
        nonzero = [i for i, value in enumerate(row) if value != 0]
        if len(nonzero) == 1:
            found.add(hidden[nonzero[0]])
    return found


def flatten(table) -> list[suppression.Cell]:
    return [cell for row in table.cells for cell in row] + [*table.row_totals, *table.column_totals, table.grand_total]


@settings(max_examples=150, deadline=None)
@given(tables())
def test_no_small_cell_is_published_and_no_hidden_cell_is_recoverable(counts):
    table = suppress_table(counts, counts)
    rows, cols = len(counts), len(counts[0])
    truth = [value for row in counts for value in row]
    truth += [sum(row) for row in counts] + [sum(row[c] for row in counts) for c in range(cols)] + [sum(truth)]
    cells = flatten(table)
    for cell, true_value in zip(cells, truth, strict=True):
        if cell.shown:
            assert true_value == 0 or true_value >= 5
            assert cell.value == true_value
        else:
            assert cell.value is None and cell.text in ("<5", "–")
        if 0 < true_value < 5:
            assert cell.state == PRIMARY
    hidden = [i for i, cell in enumerate(cells) if not cell.shown]
    assert not determined(hidden, suppression._equations(rows, cols, True, True))


@settings(max_examples=100, deadline=None)
@given(tables(4), st.booleans())
def test_tables_with_column_totals_only(counts, use_largest):
    """The subject x year table publishes only the totals per year; a board's own share is also protected."""
    largest = [[value // 2 + (value % 2) for value in row] for row in counts] if use_largest else None
    table = suppress_table(counts, counts, row_totals=False, column_totals=True, largest=largest)
    rows, cols = len(counts), len(counts[0])
    cells = [cell for row in table.cells for cell in row] + list(table.column_totals)
    assert table.row_totals == () and table.grand_total is None
    for r in range(rows):
        for c in range(cols):
            cell = table.cells[r][c]
            count = counts[r][c]
            if cell.shown:
                assert count == 0 or count >= 5
                if largest is not None:
                    assert not 0.5 <= count - largest[r][c] < 5
    hidden = [i for i, cell in enumerate(cells) if not cell.shown]
    assert not determined(hidden, suppression._equations(rows, cols, False, True))


def test_the_classic_case_hides_a_complement_in_row_and_column():
    table = suppress_table([[10, 3, 8], [7, 9, 12]], [[10, 3, 8], [7, 9, 12]])
    states = [[cell.state for cell in row] for row in table.cells]
    assert states[0][1] == PRIMARY
    # one more cell in the row and one in the column of the "<5", and one to close the rectangle
    assert sum(state == SECONDARY for row in states for state in row) == 3
    assert all(cell.state == SHOWN for cell in [*table.row_totals, *table.column_totals, table.grand_total])


def test_own_contribution_rule():
    # 12 persons, 9 of them at one board: the other boards have 3 in this cell, so it is hidden.
    assert suppression.is_sensitive(12, 9)
    assert not suppression.is_sensitive(12, 12)  # all of one board: it learns only about itself
    assert not suppression.is_sensitive(12, 5)
    assert [cell.text for cell in suppress_values([1.0, 7.0, 0.0], [1, 7, 0])] == ["<5", "", ""]
