"""Small files that expand into millions of rows are refused quickly (issue 10: the XLSX row bomb).

An XLSX is a zip: ten megabytes can hold a sheet of millions of empty rows, or declare a row far
down so that the reader fills in every row before it. The importer refuses such a file by its
declared dimension and by the unpacked size of its parts before it reads a row, and counts blank
rows against the row limit, so reading always stops soon after the limit.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest

from onderwijsregio.workforce import importers

from .data_helpers import HEADERS, board_with_location, csv_bytes, row, subjects_create, xlsx_bytes

pytestmark = pytest.mark.django_db
REF = date(2026, 10, 1)
SHEET = "xl/worksheets/sheet1.xml"


@pytest.fixture
def board():
    subjects_create()
    board, _location = board_with_location("99XX00")
    return board


def with_sheet(data: bytes, edit) -> bytes:
    """The same workbook with its sheet XML replaced by `edit(xml)`; cheap to build at any size."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item.filename, edit(content.decode()).encode() if item.filename == SHEET else content)
    return out.getvalue()


def parse(data: bytes, board):
    return importers.parse_snapshot(data, "personeel.xlsx", board=board, reference_date=REF)


def messages(result) -> str:
    return " ".join(problem.message for problem in result.problems)


def test_a_declared_dimension_of_millions_of_rows_is_refused_before_reading(board, monkeypatch):
    data = with_sheet(
        xlsx_bytes([row(1)]), lambda xml: re.sub(r'<dimension ref="[^"]+"/>', '<dimension ref="A1:T4000000"/>', xml)
    )
    monkeypatch.setattr(importers, "_xlsx_lines", lambda data: pytest.fail("the sheet was read"))

    result = parse(data, board)

    assert not result.ok
    assert "4000000 regels" in messages(result)
    assert "50000" in messages(result)


def test_a_sheet_that_unpacks_to_more_than_the_limit_is_refused_before_reading(board, monkeypatch):
    # Padding compresses to almost nothing: a few kilobytes that unpack to 60 MB.
    padding = " " * (60 * 1024 * 1024)
    data = with_sheet(xlsx_bytes([row(1)]), lambda xml: xml.replace("<sheetData>", padding + "<sheetData>"))
    assert len(data) < importers.MAX_BYTES
    monkeypatch.setattr(importers, "_xlsx_lines", lambda data: pytest.fail("the sheet was read"))

    result = parse(data, board)

    assert not result.ok
    assert "uitgepakt groter dan" in messages(result)


@pytest.mark.parametrize("how", ["empty_rows", "row_far_down"])
def test_blank_rows_count_against_the_limit_and_reading_stops(board, monkeypatch, how):
    monkeypatch.setattr(importers, "MAX_ROWS", 100)
    if how == "empty_rows":
        # Many empty rows and no dimension: nothing to see before reading.
        blank = "".join(f'<row r="{n}"/>' for n in range(3, 20_003))
        edit = lambda xml: re.sub(r"<dimension[^>]*/>", "", xml).replace("</sheetData>", blank + "</sheetData>")  # noqa: E731
    else:
        # One cell a million rows down and no dimension: the reader fills in every row before it.
        edit = lambda xml: re.sub(r"<dimension[^>]*/>", "", xml).replace(  # noqa: E731
            "</sheetData>", '<row r="1000000"><c r="A1000000" t="n"><v>1</v></c></row></sheetData>'
        )
    data = with_sheet(xlsx_bytes([row(1)]), edit)
    read = []
    real_lines = importers._xlsx_lines

    def counting_lines(data):
        for item in real_lines(data):
            read.append(item[0])
            yield item

    monkeypatch.setattr(importers, "_xlsx_lines", counting_lines)

    result = parse(data, board)

    assert not result.ok
    # Refused by counting the rows before reading (no dimension to go by) or while reading.
    assert re.search(r"(meer dan|hoogstens) 100 regels", messages(result))
    assert "lege regels tellen mee" in messages(result)
    # Stopped right after the limit (header, comments and blank lines included), not at the end of the sheet.
    assert len(read) <= importers.MAX_ROWS + importers.EXTRA_LINES + 2


def test_blank_csv_lines_count_against_the_limit(board, monkeypatch):
    monkeypatch.setattr(importers, "MAX_ROWS", 100)
    data = csv_bytes([row(1)]) + b"\r\n" * 50_000

    result = importers.parse_snapshot(data, "personeel.csv", board=board, reference_date=REF)

    assert "meer dan 100 regels" in messages(result)


def test_an_ordinary_workbook_with_a_few_blank_rows_still_imports(board):
    rows = [row(n) for n in range(1, 6)]
    data = with_sheet(
        xlsx_bytes(rows), lambda xml: xml.replace("</sheetData>", '<row r="40"/><row r="41"/></sheetData>')
    )
    result = parse(data, board)
    assert result.ok, result.problems
    assert len(result.rows) == 5
    assert HEADERS
