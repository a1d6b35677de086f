"""Reports render to a Word file and a PDF that really open and hold the report's content."""

from onderwijsregio.core.documents import (
    Chart,
    Heading,
    Notice,
    Paragraph,
    Report,
    Table,
    docx_text,
    pdf_text,
    render_docx,
    render_pdf,
)
from onderwijsregio.organisations.charts import bar_chart


def _report() -> Report:
    table = Table(
        caption="Uren per bestuur",
        headers=["Bestuur", "Uren"],
        rows=[["Bestuur Noord", 120.5], ["Bestuur Zuid", 80]],
        numeric=frozenset({1}),
        footer=["Totaal", 200.5],
    )
    return Report(title="Monitor invalpool", subtitle="Pilot Amersfoort", meta=[("Periode", "jan – mrt 2026")]).add(
        Heading("Vraag naar vervanging"),
        Paragraph("De vraag steeg in het eerste kwartaal."),
        Notice("Synthetische gegevens"),
        table,
        Chart(
            svg=bar_chart(
                [("Noord", 120.5), ("Zuid", 80.0)], chart_id="uren", title="Uren", description="Uren per bestuur"
            ),
            table=table,
        ),
    )


def test_docx_opens_and_holds_every_block():
    text = docx_text(render_docx(_report()))
    for expected in [
        "Monitor invalpool",
        "Pilot Amersfoort",
        "Periode: jan – mrt 2026",
        "Vraag naar vervanging",
        "De vraag steeg",
        "Synthetische gegevens",
        "Bestuur Noord | 120,5",
        "Totaal | 200,5",
    ]:
        assert expected in text


def test_pdf_opens_and_holds_the_figures():
    data = render_pdf(_report())
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Monitor invalpool" in text
    assert "Bestuur Noord" in text and "120,5" in text
    assert "Synthetische gegevens" in text
