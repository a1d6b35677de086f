"""The DUO importer: file kinds, encodings, validation, all-or-nothing writes and idempotence."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.organisations.importers import duo
from onderwijsregio.organisations.models import Organisation, PupilCount, SchoolLocation
from onderwijsregio.organisations.services import DuoImportRejected, duo_import, reference_import
from onderwijsregio.organisations.tests.factories import BoardFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

VO_ADDRESS_HEADER = (
    "PROVINCIE;BEVOEGD GEZAG NUMMER;INSTELLINGSCODE;VESTIGINGSCODE;VESTIGINGSNAAM;STRAATNAAM;"
    "HUISNUMMER-TOEVOEGING;POSTCODE;PLAATSNAAM;GEMEENTENUMMER;GEMEENTENAAM;DENOMINATIE;TELEFOONNUMMER;"
    "INTERNETADRES;ONDERWIJSSTRUCTUUR;STRAATNAAM CORRESPONDENTIEADRES;HUISNUMMER-TOEVOEGING CORRESPONDENTIEADRES;"
    "POSTCODE CORRESPONDENTIEADRES;PLAATSNAAM CORRESPONDENTIEADRES"
)
PO_ADDRESS_HEADER = VO_ADDRESS_HEADER.replace("ONDERWIJSSTRUCTUUR;", "")
VO_PUPILS_HEADER = (
    '"BEVOEGD GEZAG NUMMER";"INSTELLINGSCODE";"VESTIGINGSCODE";"INSTELLINGSNAAM VESTIGING";"PLAATSNAAM";'
    '"GEMEENTENUMMER";"GEMEENTENAAM";"PROVINCIE";"AANTAL LEERLINGEN";"AANTAL VO LEERLINGEN UITBESTEED AAN VAVO"'
)
PO_HISTORY_HEADER = (
    "INSTELLINGSCODE;VESTIGINGSCODE;NAAM_VESTIGING;SOORT_VESTIGING;DENOMINATIE_VESTIGING;BEVOEGD_GEZAG_NUMMER;"
    "GEMEENTECODE_VESTIGING;GEMEENTENAAM_VESTIGING;LEERLINGEN_2023;LEERLINGEN_2024;LEERLINGEN_2025"
)


def vo_address(
    code="99ZZ00", board="41787", name="Eemlandcollege", municipality="0307", structure="VBO/MAVO/HAVO/VWO"
) -> str:
    return (
        f"Utrecht;{board};{code[:4]};{code};{name};Leusderweg;12;3811 AB;AMERSFOORT;{municipality};AMERSFOORT;"
        f"Bijzonder; ;www.voorbeeld.nl;{structure};Postbus;1;3800 AA;AMERSFOORT"
    )


def po_address(code="98ZZ00", board="41788", name="Basisschool Het Eiland", municipality="0307") -> str:
    return (
        f"Utrecht;{board};{code[:4]};{code};{name};Kerkstraat;3;3811 AC;AMERSFOORT;{municipality};AMERSFOORT;"
        "Openbaar;0331234567; ; ; ; ; "
    )


def vo_pupils(code="99ZZ00", board="41787", name="Eemlandcollege", municipality="0307", count="812") -> str:
    return f'"{board}";"{code[:4]}";"{code}";"{name}";"AMERSFOORT";"{municipality}";"Amersfoort";"Utrecht";{count};"0"'


def po_history(code="97ZZ00", kind="SBO", municipality="307", counts=("0", "<5", "25"), board="41789") -> str:
    return f"{code[:4]};{code};De Wissel;{kind};Openbaar;{board};{municipality};AMERSFOORT;{';'.join(counts)}"


def write(path: Path, lines: list[str], encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


@pytest.fixture
def municipalities():
    return [
        MunicipalityFactory(cbs_code="0307", name="Amersfoort"),
        MunicipalityFactory(cbs_code="0344", name="Utrecht"),
    ]


def table_snapshot() -> dict:
    return {
        "boards": sorted(
            Organisation.objects.filter(kind=Organisation.Kind.BOARD).values_list(
                "duo_number", "name", "name_is_provisional", "sectors"
            )
        ),
        "locations": sorted(
            SchoolLocation.objects.values_list(
                "vestiging_code",
                "name",
                "board__duo_number",
                "sector",
                "vo_levels",
                "postcode",
                "municipality__cbs_code",
            )
        ),
        "counts": sorted(
            PupilCount.objects.values_list("school_location__vestiging_code", "year", "count", "is_small", "source")
        ),
    }


# --- detection and parsing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "expected"), [("cp1252", "cp1252"), ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig")]
)
def test_encoding_is_detected_and_accents_survive(tmp_path, municipalities, encoding, expected):
    path = write(
        tmp_path / f"vo_{encoding}.csv",
        [VO_ADDRESS_HEADER, vo_address(name="Café Scholengemeenschap Eemlandië")],
        encoding=encoding,
        newline="\r\n",
    )
    report = duo_import(paths=[path])
    assert report.files[0]["encoding"] == expected
    assert report.files[0]["kind"] == duo.FileKind.VO_ADDRESSES
    assert SchoolLocation.objects.get(vestiging_code="99ZZ00").name == "Café Scholengemeenschap Eemlandië"


def test_detect_encoding_prefers_bom_then_utf8_then_cp1252():
    assert duo.detect_encoding("é".encode("utf-8-sig")) == "utf-8-sig"
    assert duo.detect_encoding("é".encode()) == "utf-8"
    assert duo.detect_encoding("é".encode("cp1252")) == "cp1252"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (VO_ADDRESS_HEADER, duo.FileKind.VO_ADDRESSES),
        (PO_ADDRESS_HEADER, duo.FileKind.PO_ADDRESSES),
        (VO_PUPILS_HEADER, duo.FileKind.VO_PUPILS),
        (PO_HISTORY_HEADER, duo.FileKind.PO_PUPIL_HISTORY),
        ("NAAM;ADRES;AANTAL", None),
    ],
)
def test_kind_is_detected_from_the_header(header, kind):
    assert duo.detect_kind(next(csv.reader(StringIO(header), delimiter=";"))) == kind


def test_onderwijsstructuur_becomes_vo_levels():
    assert duo.parse_structure("VBO/MAVO/HAVO/VWO") == ["vmbo", "vmbo-tl", "havo", "vwo"]
    assert duo.parse_structure("PRO") == ["pro"]
    assert duo.parse_structure("BRUGJAAR") == ["brugjaar"]
    assert duo.parse_structure(" ") == []
    with pytest.raises(ValueError, match="onbekende onderwijsstructuur"):
        duo.parse_structure("VBO/LYCEUM")


def test_field_lengths_match_the_model():
    for name, length in duo.FIELD_MAX_LENGTHS.items():
        assert SchoolLocation._meta.get_field(name).max_length == length, name


# --- what gets stored --------------------------------------------------------------------------


def test_small_count_is_stored_as_small_never_zero(tmp_path, municipalities):
    path = write(tmp_path / "leerlingen_vo_2025.csv", [VO_PUPILS_HEADER, vo_pupils(count='"<5"')])
    duo_import(paths=[path])
    pupil_count = PupilCount.objects.get(school_location__vestiging_code="99ZZ00", year=2025)
    assert (pupil_count.count, pupil_count.is_small) == (None, True)


def test_history_file_rules_for_zero_small_sector_and_placeholders(tmp_path, municipalities):
    path = write(
        tmp_path / "po_historisch.csv",
        [
            PO_HISTORY_HEADER,
            po_history(code="97ZZ00", kind="SBO", counts=("0", "<5", "25")),
            po_history(code="96ZZ00", kind="BO", counts=("0", "0", "0")),
            "50AB;50AB00;onbekend;SO;onbekend;0;9999;ONBEKEND;19;0;0",
        ],
        encoding="utf-8-sig",
        newline="\r\n",
    )
    report = duo_import(paths=[path])
    location = SchoolLocation.objects.get(vestiging_code="97ZZ00")
    assert (location.sector, location.school_type, location.municipality.cbs_code) == ("SO", "SBO", "0307")
    assert location.board.duo_number == "41789"
    stored = {c.year: (c.count, c.is_small) for c in location.pupil_counts.all()}
    # 2023 was 0: not a school without pupils but a location that was not there; not stored.
    assert stored == {2024: (None, True), 2025: (25, False)}
    # A location with only zeros is not created, the 9999 placeholder is skipped and listed.
    assert not SchoolLocation.objects.filter(vestiging_code__in=["96ZZ00", "50AB00"]).exists()
    assert [(n.line, "9999" in n.reason) for n in report.notices] == [(4, True)]
    assert report.files[0]["without_pupils"] == 1


def test_pupil_row_creates_missing_location_and_address_file_wins_afterwards(tmp_path, municipalities):
    pupils = write(tmp_path / "leerlingen_vo_2025.csv", [VO_PUPILS_HEADER, vo_pupils(name="Eemland (leerlingen)")])
    addresses = write(tmp_path / "vo_adressen.csv", [VO_ADDRESS_HEADER, vo_address(name="Eemlandcollege Noord")])

    duo_import(paths=[pupils])
    location = SchoolLocation.objects.get(vestiging_code="99ZZ00")
    assert (location.name, location.sector, location.board.duo_number) == ("Eemland (leerlingen)", "VO", "41787")
    assert location.board.name_is_provisional and location.board.name == "Bevoegd gezag 41787"

    duo_import(paths=[addresses])
    duo_import(paths=[pupils])
    location.refresh_from_db()
    assert location.name == "Eemlandcollege Noord"
    assert location.vo_levels == ["vmbo", "vmbo-tl", "havo", "vwo"]
    assert location.pupil_counts.get(year=2025).count == 812


def test_import_never_renames_a_board_that_confirmed_its_name(tmp_path, municipalities):
    BoardFactory(duo_number="41787", name="Stichting Eemland", name_is_provisional=False)
    duo_import(paths=[write(tmp_path / "vo.csv", [VO_ADDRESS_HEADER, vo_address()])])
    board = Organisation.objects.get(duo_number="41787")
    assert (board.name, board.name_is_provisional) == ("Stichting Eemland", False)
    assert board.sectors == ["VO"]


def test_area_restriction_keeps_only_rows_in_the_area(tmp_path, municipalities):
    path = write(
        tmp_path / "vo.csv",
        [VO_ADDRESS_HEADER, vo_address(code="99ZZ00"), vo_address(code="99ZZ01", municipality="0344")],
    )
    report = duo_import(paths=[path], area={"0344"})
    assert list(SchoolLocation.objects.values_list("vestiging_code", flat=True)) == ["99ZZ01"]
    assert report.files[0]["outside_area"] == 1


def test_second_run_reports_unchanged_and_changes_nothing(tmp_path, municipalities):
    files = [
        write(tmp_path / "vo.csv", [VO_ADDRESS_HEADER, vo_address()]),
        write(tmp_path / "po.csv", [PO_ADDRESS_HEADER, po_address()], encoding="cp1252", newline="\r\n"),
        write(tmp_path / "leerlingen_vo_2025.csv", [VO_PUPILS_HEADER, vo_pupils()]),
        write(tmp_path / "po_hist.csv", [PO_HISTORY_HEADER, po_history()], encoding="utf-8-sig"),
    ]
    first = duo_import(paths=files)
    before = table_snapshot()
    second = duo_import(paths=files)
    assert table_snapshot() == before
    assert first.counts["school_locations"]["created"] == 3
    for tally in second.counts.values():
        assert tally["created"] == tally["updated"] == 0


# --- rejected rows -----------------------------------------------------------------------------


def test_corrupted_files_list_every_bad_line_and_write_nothing(tmp_path, municipalities):
    BoardFactory(duo_number="12345", name="Stichting Bestaand")
    addresses = write(
        tmp_path / "vo_adressen.csv",
        [
            VO_ADDRESS_HEADER,  # line 1
            vo_address(code="99ZZ00"),  # 2: good
            vo_address(code="99zz01"),  # 3: bad vestigingscode
            vo_address(code="99ZZ02", municipality="1234"),  # 4: unknown municipality
            vo_address(code="99ZZ03") + ";extra",  # 5: one field too many
            vo_address(code="99ZZ04", structure="VBO/LYCEUM"),  # 6: unknown structure
            vo_address(code="99ZZ00"),  # 7: duplicate of line 2
            vo_address(code="99ZZ05", board="4178A"),  # 8: bad board number
            vo_address(code="99ZZ06", name=" "),  # 9: empty name
            vo_address(code="99ZZ07"),  # 10: good
        ],
        encoding="cp1252",
        newline="\r\n",
    )
    pupils = write(
        tmp_path / "leerlingen_vo_2025.csv",
        [VO_PUPILS_HEADER, vo_pupils(code="99ZZ07"), vo_pupils(code="99ZZ08", count='"veel"')],
    )
    unknown = write(tmp_path / "iets_anders.csv", ["NAAM;ADRES", "a;b"])
    before = table_snapshot()
    audit_before = AuditEvent.objects.count()

    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="9 rij"):
        call_command("import_duo", str(addresses), str(pupils), str(unknown), stdout=out, stderr=err)

    assert table_snapshot() == before
    assert AuditEvent.objects.count() == audit_before
    report = err.getvalue()
    expected = {
        3: "ongeldige vestigingscode '99zz01'",
        4: "onbekende gemeentecode 1234",
        5: "verkeerd aantal velden: 20 in plaats van 19",
        6: "onbekende onderwijsstructuur 'LYCEUM'",
        7: "vestigingscode 99ZZ00 staat ook op regel 2",
        8: "ongeldig bevoegd-gezagnummer '4178A'",
        9: "VESTIGINGSNAAM is leeg",
    }
    for line, reason in expected.items():
        assert f"vo_adressen.csv, regel {line}: {reason}" in report
    assert "leerlingen_vo_2025.csv, regel 3: AANTAL LEERLINGEN: 'veel' is geen geldig aantal" in report
    assert "iets_anders.csv, regel 1: onbekende kolomkop" in report
    assert "regel 2:" not in report.replace("staat ook op regel 2", "")
    assert "regel 10:" not in report


def test_service_raises_with_the_full_report(tmp_path, municipalities):
    path = write(tmp_path / "vo.csv", [VO_ADDRESS_HEADER, vo_address(code="XX"), vo_address(municipality="12345")])
    with pytest.raises(DuoImportRejected) as raised:
        duo_import(paths=[path])
    assert [(e.line, e.file) for e in raised.value.report.errors] == [(2, "vo.csv"), (3, "vo.csv")]


def test_import_needs_reference_data_first(tmp_path):
    path = write(tmp_path / "vo.csv", [VO_ADDRESS_HEADER, vo_address()])
    with pytest.raises(DuoImportRejected) as raised:
        duo_import(paths=[path])
    assert "import_reference" in raised.value.report.errors[0].reason


def test_unterminated_quote_is_reported_with_its_line(tmp_path, municipalities):
    path = write(
        tmp_path / "leerlingen_vo_2025.csv",
        [VO_PUPILS_HEADER, vo_pupils(code="99ZZ00"), '"41787";"99ZZ";"99ZZ01";"Kapot"x;"A";"0307";"A";"U";1;"0"'],
    )
    with pytest.raises(DuoImportRejected) as raised:
        duo_import(paths=[path])
    assert [e.line for e in raised.value.report.errors] == [3]
    assert not SchoolLocation.objects.exists()


# --- property: whole file or nothing -------------------------------------------------------------

BAD_KINDS = ["code", "municipality", "count", "fields", "name"]


def _row(index: int, bad: str | None, count: int | None) -> str:
    code = f"{index:02d}QQ{index % 100:02d}"
    value = '"<5"' if count is None else str(count)
    if bad == "code":
        return vo_pupils(code=f"{index:02d}Q{index % 100:02d}", count=value)
    if bad == "municipality":
        return vo_pupils(code=code, municipality="0001", count=value)
    if bad == "count":
        return vo_pupils(code=code, count='"-3"')
    if bad == "fields":
        return vo_pupils(code=code, count=value) + ';"extra"'
    if bad == "name":
        return vo_pupils(code=code, name="  ", count=value)
    return vo_pupils(code=code, count=value)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(st.sampled_from([None, None, None, *BAD_KINDS]), st.one_of(st.none(), st.integers(1, 3000))),
        min_size=1,
        max_size=12,
    ),
    offset=st.integers(0, 80),
)
def test_property_importer_imports_whole_file_or_reports_every_bad_row(tmp_path, municipalities, rows, offset):
    lines = [VO_PUPILS_HEADER] + [_row(offset + i, bad, count) for i, (bad, count) in enumerate(rows)]
    path = write(tmp_path / "leerlingen_vo_2025.csv", lines)
    bad_lines = {i + 2 for i, (bad, _count) in enumerate(rows) if bad}
    before = table_snapshot()
    try:
        duo_import(paths=[path])
    except DuoImportRejected as rejected:
        assert {error.line for error in rejected.report.errors} == bad_lines
        assert table_snapshot() == before
        return
    assert not bad_lines
    for i, (_bad, count) in enumerate(rows):
        stored = PupilCount.objects.get(school_location__vestiging_code=f"{offset + i:02d}QQ{(offset + i) % 100:02d}")
        assert (stored.count, stored.is_small) == ((None, True) if count is None else (count, False))


# --- the real VO files ---------------------------------------------------------------------------


def test_real_vo_files_import_twice_changes_nothing():
    reference_import()
    files = sorted((Path(settings.DATA_DIR) / "duo").glob("duo_vo_*.csv"))
    first = duo_import(paths=files)
    before = table_snapshot()
    second = duo_import(paths=files)
    assert table_snapshot() == before
    assert first.counts["school_locations"]["created"] == len(before["locations"]) > 1600
    assert first.counts["pupil_counts"]["created"] == 1453
    assert second.counts["pupil_counts"] == {"created": 0, "updated": 0, "unchanged": 1453}
    assert second.counts["school_locations"]["created"] == second.counts["school_locations"]["updated"] == 0
    # 05FJ12 is in both files with different municipalities: the address file decides.
    assert SchoolLocation.objects.get(vestiging_code="05FJ12").municipality.cbs_code == "0917"


def test_line_numbers_are_physical_lines_even_after_a_multiline_field(tmp_path, municipalities):
    path = write(
        tmp_path / "leerlingen_vo_2025.csv",
        [
            VO_PUPILS_HEADER,
            vo_pupils(code="99ZZ00", name="Eemland\nCollege"),  # lines 2-3, good
            "",  # line 4, blank
            vo_pupils(code="99ZZ01", municipality="4321"),  # line 5, bad
        ],
    )
    with pytest.raises(DuoImportRejected) as raised:
        duo_import(paths=[path])
    assert [e.line for e in raised.value.report.errors] == [5]
