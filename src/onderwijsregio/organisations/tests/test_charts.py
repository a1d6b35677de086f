"""The SVG charts are well-formed, accessible, and draw exactly the data they are given."""

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from onderwijsregio.organisations.charts import Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)  # noqa: S314 - our own markup, parsed to check it
    assert root.tag == f"{SVG}svg"
    return root


def bars(root: ET.Element) -> list[ET.Element]:
    return [el for el in root.iter(f"{SVG}rect") if el.get("class") == "or-chart__bar"]


def assert_accessible(root: ET.Element, chart_id: str, title: str) -> None:
    assert root.get("role") == "img"
    title_el = root.find(f"{SVG}title")
    desc_el = root.find(f"{SVG}desc")
    assert title_el is not None and title_el.text == title
    assert desc_el is not None and desc_el.text
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert title_el.get("id") == f"{chart_id}-title"


def test_bar_chart_has_one_bar_per_value_with_lengths_in_proportion():
    root = parse(
        bar_chart(
            [("Amersfoort", 300), ("Leusden", 150), ("Baarn", 0)],
            chart_id="c1",
            title="Leerlingen per gemeente",
            description="Zie tabel",
        )
    )
    assert_accessible(root, "c1", "Leerlingen per gemeente")
    widths = [float(bar.get("width")) for bar in bars(root)]
    assert len(widths) == 3
    assert widths[0] == 2 * widths[1] > 0
    assert widths[2] == 0
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert "Amersfoort" in texts and "300" in texts and "0" in texts


def test_bar_chart_with_only_zeros_draws_zero_length_bars():
    root = parse(bar_chart([("a", 0), ("b", 0)], chart_id="z", title="t", description="d"))
    assert [float(bar.get("width")) for bar in bars(root)] == [0.0, 0.0]


def test_bar_chart_without_data_says_so():
    root = parse(bar_chart([], chart_id="e", title="t", description="d", empty_text="Geen gegevens bekend"))
    assert not bars(root)
    assert "Geen gegevens bekend" in [el.text for el in root.iter(f"{SVG}text")]


def test_chart_text_is_escaped():
    markup = bar_chart([("<script>&", 1)], chart_id="x", title='"Titel" <b>', description="a & b")
    root = parse(markup)
    assert "<script>" not in markup
    assert root.find(f"{SVG}title").text == '"Titel" <b>'


def test_numbers_are_written_the_dutch_way():
    root = parse(bar_chart([("Utrecht", 12345)], chart_id="n", title="t", description="d"))
    assert "12.345" in [el.text for el in root.iter(f"{SVG}text")]


def test_line_chart_draws_a_line_and_a_marker_per_value_and_a_legend():
    root = parse(
        line_chart(
            ["2023", "2024", "2025"],
            [Series("Voortgezet onderwijs", [100, 120, 130]), Series("Primair onderwijs", [50, None, 40])],
            chart_id="l",
            title="Leerlingen per jaar",
            description="Zie tabel",
        )
    )
    assert_accessible(root, "l", "Leerlingen per jaar")
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "or-chart__series"]
    assert [g.get("data-series") for g in groups] == ["Voortgezet onderwijs", "Primair onderwijs"]
    # The first series is one line of three points; the second breaks at the gap and keeps two markers.
    first_lines = list(groups[0].iter(f"{SVG}polyline"))
    assert len(first_lines) == 1 and len(first_lines[0].get("points").split()) == 3
    assert not list(groups[1].iter(f"{SVG}polyline"))
    markers = [el for el in groups[1] if el.tag != f"{SVG}polyline"]
    assert len(markers) == 2
    # Series differ in more than colour: the second is dashed in the legend.
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert "Voortgezet onderwijs" in texts and "Primair onderwijs" in texts
    assert any(el.get("stroke-dasharray") for el in root.iter(f"{SVG}line"))


def test_line_chart_higher_values_are_drawn_higher():
    root = parse(line_chart(["2024", "2025"], [Series("VO", [10, 20])], chart_id="h", title="t", description="d"))
    (line,) = root.iter(f"{SVG}polyline")
    (x1, y1), (x2, y2) = (map(float, point.split(",")) for point in line.get("points").split())
    assert x2 > x1 and y2 < y1


def test_line_chart_single_year_and_zeros_and_empty():
    single = parse(line_chart(["2025"], [Series("VO", [0])], chart_id="s", title="t", description="d"))
    assert not list(single.iter(f"{SVG}polyline"))
    assert list(single.iter(f"{SVG}circle"))
    for markup in (
        line_chart([], [], chart_id="e", title="t", description="d", empty_text="Leeg"),
        line_chart(["2025"], [Series("VO", [None])], chart_id="e2", title="t", description="d", empty_text="Leeg"),
    ):
        root = parse(markup)
        assert "Leeg" in [el.text for el in root.iter(f"{SVG}text")]


@given(st.lists(st.tuples(st.text(min_size=1, max_size=40), st.integers(0, 10**7)), max_size=30))
def test_bar_chart_is_valid_svg_for_any_labels_and_counts(items):
    root = parse(bar_chart(items, chart_id="p", title="t", description="d"))
    assert len(bars(root)) == len(items)
    widths = [float(bar.get("width")) for bar in bars(root)]
    assert all(width >= 0 for width in widths)
    if items and max(value for _, value in items) > 0:
        longest = max(range(len(items)), key=lambda i: items[i][1])
        assert widths[longest] == max(widths)
