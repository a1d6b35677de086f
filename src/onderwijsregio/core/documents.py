"""Reports as real documents: one description, rendered to Word (python-docx) and PDF (WeasyPrint).

A feature builds a `Report` from blocks (headings, paragraphs, tables, charts, notices) and calls
`render_docx()` or `render_pdf()`. Both renderings come from the same blocks, so the Word file a
board edits for its own plan and the PDF it circulates never disagree. Charts are SVG (see
`organisations.charts`); the PDF shows them, Word shows the chart's data table instead, because
Word cannot show SVG reliably and the table is what an editor of the document needs anyway.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

Cell = str | int | float | None


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 2 = section, 3 = subsection (level 1 is the report title)


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Notice:
    """A highlighted remark: synthetic data, suppressed cells, assumptions to keep in mind."""

    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    numeric: frozenset[int] = frozenset()  # column indexes aligned right
    footer: Sequence[Cell] | None = None  # a totals row


@dataclass(frozen=True)
class Chart:
    """An SVG chart with its data; the data table is always printed with it."""

    svg: str
    table: Table


Block = Heading | Paragraph | Notice | Table | Chart


@dataclass
class Report:
    title: str
    subtitle: str = ""
    organisation: str = ""
    meta: list[tuple[str, str]] = field(default_factory=list)  # (label, value) lines under the title
    blocks: list[Block] = field(default_factory=list)
    created_at: datetime = field(default_factory=timezone.now)

    def add(self, *blocks: Block) -> Report:
        self.blocks.extend(blocks)
        return self

    @property
    def created_label(self) -> str:
        return date_format(timezone.localtime(self.created_at), "DATETIME_FORMAT")


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


def render_docx(report: Report) -> bytes:
    """The report as a Word document (DOCX) that opens in Word and LibreOffice."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    document = Document()
    document.core_properties.title = report.title
    document.core_properties.author = "Open Onderwijsregio"
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    document.add_heading(report.title, level=0)
    if report.subtitle:
        document.add_paragraph(report.subtitle)
    for label, value in [*report.meta, ("", "")][:-1]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    paragraph = document.add_paragraph()
    paragraph.add_run(report.created_label).italic = True

    def add_table(table: Table) -> None:
        caption = document.add_paragraph()
        caption.add_run(table.caption).bold = True
        grid = document.add_table(rows=1, cols=len(table.headers))
        grid.style = "Table Grid"
        for index, header in enumerate(table.headers):
            cell = grid.rows[0].cells[index]
            cell.text = ""
            cell.paragraphs[0].add_run(str(header)).bold = True
        body = [*table.rows, *([table.footer] if table.footer else [])]
        for row_number, row in enumerate(body):
            cells = grid.add_row().cells
            for index, value in enumerate(row):
                cells[index].text = _text(value)
                if index in table.numeric:
                    cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if table.footer and row_number == len(body) - 1:
                    for run in cells[index].paragraphs[0].runs:
                        run.bold = True
        document.add_paragraph()

    for block in report.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=min(max(block.level - 1, 1), 3))
        elif isinstance(block, Paragraph):
            document.add_paragraph(block.text)
        elif isinstance(block, Notice):
            run = document.add_paragraph().add_run(block.text)
            run.bold = True
            run.font.color.rgb = RGBColor(0x8A, 0x4B, 0x00)
        elif isinstance(block, Table):
            add_table(block)
        elif isinstance(block, Chart):
            add_table(block.table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_html(report: Report) -> str:
    """The print HTML the PDF is made from (also handy to inspect a report in a test)."""
    rows = []
    for block in report.blocks:
        kind = type(block).__name__.lower()
        if isinstance(block, Table | Chart):
            table = block.table if isinstance(block, Chart) else block
            rendered = {
                "caption": table.caption,
                "headers": list(table.headers),
                "rows": [
                    [(_text(value), index in table.numeric) for index, value in enumerate(row)] for row in table.rows
                ],
                "footer": [(_text(value), index in table.numeric) for index, value in enumerate(table.footer)]
                if table.footer
                else None,
            }
            rows.append({"kind": kind, "table": rendered, "svg": getattr(block, "svg", "")})
        else:
            rows.append({"kind": kind, "block": block})
    return render_to_string("documents/report.html", {"report": report, "blocks": rows})


def render_pdf(report: Report) -> bytes:
    """The report as PDF (WeasyPrint, tagged so screen readers can follow it)."""
    from weasyprint import HTML

    return HTML(string=render_html(report)).write_pdf(pdf_variant="pdf/ua-1")


def docx_text(data: bytes) -> str:
    """All paragraph and table text of a DOCX: what tests read to check a document really opens."""
    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    """All text of a PDF, read back with pypdf (a test dependency): proof that the file opens."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
