"""The snapshot importer: every problem of a broken file is listed with its row and column, and nothing is stored."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onderwijsregio.workforce import importers, services
from onderwijsregio.workforce.models import StaffRow, StaffSnapshot

from .data_helpers import HEADERS, board_with_location, csv_bytes, row, subjects_create, xlsx_bytes

pytestmark = pytest.mark.django_db
REF = date(2026, 10, 1)


@pytest.fixture
def setup():
    subjects_create()
    board, location = board_with_location("99XX00")
    return board, location


def parse(data: bytes, board, name: str = "personeel.csv"):
    return importers.parse_snapshot(data, name, board=board, reference_date=REF)


def broken_rows():
    """Five rows; rows on lines 3, 5 and 6 are wrong in several ways."""
    return [
        row(1),
        row(2, geboortejaar="negentien", fte="3"),  # line 3: two problems
        row(3),
        row(4, geslacht="q", vakken="sterrenkunde:eerstegraads"),  # line 5: two problems
        row(5, **{"in onderwijs sinds": "31-02-2001", "vestiging": "12AB34", "verzuim %": "140"}),  # line 6: three
    ]


def test_valid_csv_with_bom_and_semicolons(setup):
    board, location = setup
    result = parse(csv_bytes([row(1, vestiging=location.vestiging_code), row(2, functiegroep="OOP", vakken="")]), board)
    assert result.ok, result.problems
    first = result.rows[0]
    assert first["pseudonym"] == "P0001"
    assert first["subjects"] == [{"subject": "wi", "degree": "first"}, {"subject": "na", "degree": "second"}]
    assert str(first["fte"]) == "0.800"
    assert first["start_board"] == date(2010, 8, 1)
    assert first["school_location_id"] == location.pk
    assert result.rows[1]["function"] == "support"


def test_comma_separated_without_bom_and_long_names(setup):
    board, _ = setup
    data = csv_bytes(
        [row(1, functiegroep="onderwijsondersteunend personeel", fte="0.6", contract="tijdelijk", geslacht="x")],
        delimiter=",",
        bom=False,
    )
    result = parse(data, board)
    assert result.ok, result.problems
    assert result.rows[0]["function"] == "support"
    assert result.rows[0]["contract_type"] == "fixed_term"


def test_broken_csv_lists_every_problem_and_stores_nothing(setup):
    board, _ = setup
    data = csv_bytes(broken_rows())
    result = parse(data, board)
    assert not result.ok
    found = {(p.line, p.column) for p in result.problems}
    assert found == {
        (3, "geboortejaar"),
        (3, "fte"),
        (5, "geslacht"),
        (5, "vakken"),
        (6, "in onderwijs sinds"),
        (6, "vestiging"),
        (6, "verzuim %"),
    }
    assert result.bad_lines == [3, 5, 6]
    assert result.rows == []
    with pytest.raises(services.SnapshotRejected) as rejected:
        services.snapshot_upload(board=board, reference_date=REF, file=io.BytesIO(data), actor=None)
    assert len(rejected.value.problems) == 7
    assert StaffSnapshot.objects.count() == 0
    assert StaffRow.objects.count() == 0


def test_broken_xlsx_lists_every_problem_and_stores_nothing(setup):
    board, _ = setup
    data = xlsx_bytes(broken_rows())
    result = parse(data, board, "personeel.xlsx")
    assert result.file_kind == "xlsx"
    assert {(p.line, p.column) for p in result.problems} == {
        (3, "geboortejaar"),
        (3, "fte"),
        (5, "geslacht"),
        (5, "vakken"),
        (6, "in onderwijs sinds"),
        (6, "vestiging"),
        (6, "verzuim %"),
    }
    with pytest.raises(services.SnapshotRejected):
        services.snapshot_upload(board=board, reference_date=REF, file=data, actor=None)
    assert StaffSnapshot.objects.count() == 0
    assert StaffRow.objects.count() == 0


def test_valid_xlsx_with_real_numbers_and_dates(setup):
    from datetime import datetime

    board, _ = setup
    data = xlsx_bytes([row(1, geboortejaar=1980, fte=0.75, **{"in onderwijs sinds": datetime(2004, 8, 1)})])
    result = parse(data, board, "x.xlsx")
    assert result.ok, result.problems
    assert result.rows[0]["birth_year"] == 1980
    assert result.rows[0]["start_education"] == date(2004, 8, 1)


def test_name_column_is_refused_without_echoing_values(setup):
    board, _ = setup
    headers = ["naam", *HEADERS]
    data = csv_bytes([row(1, naam="Jan Jansen")], headers=headers)
    result = parse(data, board)
    assert not result.ok
    assert [(p.line, p.column) for p in result.problems] == [(1, "naam")]
    assert "pseudoniem" in result.problems[0].message
    assert "Jan" not in str(result.problems[0])


def test_unknown_and_missing_columns(setup):
    board, _ = setup
    headers = [h for h in HEADERS if h != "fte"] + ["schoenmaat"]
    result = parse(csv_bytes([row(1)], headers=headers), board)
    assert {(p.line, p.column) for p in result.problems} == {(1, "schoenmaat"), (1, "fte")}


def test_pseudonym_must_not_be_a_name_or_email_and_must_be_unique(setup):
    board, _ = setup
    rows = [row(1), row(2, pseudoniem="Jan Jansen"), row(3, pseudoniem="jan@school.nl"), row(4, pseudoniem="p0001")]
    result = parse(csv_bytes(rows), board)
    by_line = {p.line: p.message for p in result.problems}
    assert set(by_line) == {3, 4, 5}
    assert "regel 2" in by_line[5]


def test_duplicate_is_reported_also_on_a_row_with_other_problems(setup):
    board, _ = setup
    result = parse(csv_bytes([row(1), row(1, fte="x")]), board)
    assert [(p.line, p.column) for p in result.problems] == [(3, "pseudoniem"), (3, "fte")]


def test_location_of_another_board_is_refused(setup):
    board, _ = setup
    _other, other_location = board_with_location("98YY00")
    result = parse(csv_bytes([row(1, vestiging=other_location.vestiging_code)]), board)
    assert [(p.line, p.column) for p in result.problems] == [(2, "vestiging")]
    assert "hoort niet bij uw bestuur" in result.problems[0].message


def test_dates_after_reference_and_exit_before_reference(setup):
    board, _ = setup
    rows = [row(1, **{"bij bestuur sinds": "01-01-2027", "geplande uitstroom": "01-01-2020"})]
    result = parse(csv_bytes(rows), board)
    assert {p.column for p in result.problems} == {"bij bestuur sinds", "geplande uitstroom"}


def test_header_only_and_empty_file(setup):
    board, _ = setup
    assert not parse(csv_bytes([]), board).ok
    assert parse(b"", board).problems[0].line == 0
    garbage = parse(b"PK\x03\x04 not really a zip", board, "x.xlsx")
    assert garbage.problems and garbage.problems[0].line == 0


def test_templates_are_readable_by_the_importer(setup):
    board, _ = setup
    # The CSV template's explanation lines are comments: only the header is left, so "no staff".
    result = parse(importers.template_csv(), board)
    assert [p.message for p in result.problems] == ["Het bestand bevat geen medewerkers, alleen een kopregel."]
    xlsx = parse(importers.template_xlsx(board), board, "sjabloon.xlsx")
    assert [p.line for p in xlsx.problems] == [0]  # header accepted, no rows


def test_csv_template_filled_in_imports(setup):
    board, _ = setup
    template = importers.template_csv().decode("utf-8-sig")
    filled = template + "P1;1980;m;OP;ne:tweedegraads;1;vast;01-08-2005;01-08-2005;;;\r\n"
    result = parse(filled.encode("utf-8"), board)
    assert result.ok, result.problems
    assert result.rows[0]["line_number"] == template.count("\r\n") + 1


# --- properties --------------------------------------------------------------------------------

valid_rows = st.fixed_dictionaries(
    {
        "geboortejaar": st.integers(1950, 2005).map(str),
        "geslacht": st.sampled_from(["v", "m", "x", "V", "Man"]),
        "functiegroep": st.sampled_from(["OP", "OOP", "directie", "op", "Onderwijsgevend personeel"]),
        "vakken": st.sampled_from(["", "wi:eerstegraads", "Nederlands:2e graads; en:pdg", "WI:geen"]),
        "fte": st.decimals(min_value="0.05", max_value="1.2", places=2).map(lambda d: str(d).replace(".", ",")),
        "contract": st.sampled_from(["vast", "tijdelijk", "anders", "Vast"]),
        "verzuim %": st.one_of(st.just(""), st.integers(0, 100).map(str)),
    }
)
bad_values = st.sampled_from(
    [
        ("geboortejaar", "19x5"),
        ("geslacht", "onzijdig"),
        ("functiegroep", "conciërge"),
        ("fte", "0"),
        ("fte", "veel"),
        ("contract", "levenslang"),
        ("vakken", "wiskunde"),
        ("in onderwijs sinds", "gisteren"),
        ("verzuim %", "-3"),
        ("pseudoniem", "Piet Puk"),
        ("vestiging", "00ZZ99"),
    ]
)


def _rows_from(drawn: list[dict]) -> list[dict]:
    rows = []
    for index, values in enumerate(drawn, start=1):
        birth = int(values["geboortejaar"])
        start = f"01-08-{min(max(birth + 22, 1972), 2025)}"
        rows.append(row(index, **values, **{"in onderwijs sinds": start, "bij bestuur sinds": start}))
    return rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(valid_rows, min_size=1, max_size=30), as_xlsx=st.booleans())
def test_a_random_valid_file_imports_whole(setup, drawn, as_xlsx):
    board, _ = setup
    rows = _rows_from(drawn)
    data = xlsx_bytes(rows) if as_xlsx else csv_bytes(rows)
    snapshot = services.snapshot_upload(
        board=board, reference_date=REF, file=data, filename="x.xlsx" if as_xlsx else "x.csv", actor=None
    )
    assert snapshot.row_count == len(rows)
    assert list(snapshot.rows.values_list("line_number", flat=True)) == list(range(2, len(rows) + 2))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(valid_rows, min_size=1, max_size=30), bad=bad_values, data=st.data(), as_xlsx=st.booleans())
def test_a_file_with_one_random_bad_row_stores_nothing_and_names_that_row(setup, drawn, bad, data, as_xlsx):
    board, _ = setup
    rows = _rows_from(drawn)
    position = data.draw(st.integers(0, len(rows) - 1))
    column, value = bad
    rows[position][column] = value
    payload = xlsx_bytes(rows) if as_xlsx else csv_bytes(rows)
    before = (StaffSnapshot.objects.count(), StaffRow.objects.count())
    with pytest.raises(services.SnapshotRejected) as rejected:
        services.snapshot_upload(board=board, reference_date=REF, file=payload, filename="f", actor=None)
    assert {(p.line, p.column) for p in rejected.value.problems} == {(position + 2, column)}
    assert (StaffSnapshot.objects.count(), StaffRow.objects.count()) == before
