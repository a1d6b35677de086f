"""Board names from DUO's board files and the derived list: layouts, rejected rows, precedence, shipped data (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from onderwijsregio.core.models import AuditEvent
from onderwijsregio.organisations.importers import boards as board_parser
from onderwijsregio.organisations.models import NameSource, Organisation
from onderwijsregio.organisations.services import DuoImportRejected, board_name_confirm, duo_import
from onderwijsregio.organisations.tests.factories import BoardFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

# DUO's VO layout ("03. Bevoegde gezagen vo", besturenvo.csv, besturenmbo.csv).
VO_HEADER = (
    "BEVOEGD GEZAG NUMMER;BEVOEGD GEZAG NAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;POSTCODE;PLAATSNAAM;GEMEENTENUMMER;"
    "GEMEENTENAAM;DENOMINATIE;TELEFOONNUMMER;INTERNETADRES;STRAATNAAM CORRESPONDENTIEADRES;"
    "HUISNUMMER-TOEVOEGING CORRESPONDENTIEADRES;POSTCODE CORRESPONDENTIEADRES;PLAATSNAAM CORRESPONDENTIEADRES;"
    "ADMINISTRATIEKANTOORNUMMER;KVK-NUMMER"
)
# besturenbo.csv: KVK-NUMMER before ADMINISTRATIEKANTOORNUMMER.
BO_HEADER = VO_HEADER.replace("ADMINISTRATIEKANTOORNUMMER;KVK-NUMMER", "KVK-NUMMER;ADMINISTRATIEKANTOORNUMMER")
# besturenso.csv: a leading SOORT PRIMAIR ONDERWIJS column.
SO_HEADER = "SOORT PRIMAIR ONDERWIJS;" + VO_HEADER
# Older DUO downloads write the names with underscores.
UNDERSCORE_HEADER = VO_HEADER.replace(" ", "_")
DERIVED_HEADER = "kvk,naam,herkomst,soort,bevoegd_gezag,ook_elders"


def vo_row(number="40180", name="Stichting Meerscholen", kvk="41189899", postcode="3816 PB") -> str:
    return (
        f"{number};{name};J.P. Sweelinckstraat;4;{postcode};AMERSFOORT;0307;AMERSFOORT;Samenwerking PC, RK;"
        f"0334613253;www.meerscholen.nl;Postbus;637;3800 AP;AMERSFOORT;706;{kvk}"
    )


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.fixture
def municipalities():
    return [MunicipalityFactory(cbs_code="0307", name="Amersfoort")]


def board(number: str, **fields) -> Organisation:
    fields.setdefault("name", f"Bevoegd gezag {number}")
    fields.setdefault("name_is_provisional", True)
    fields.setdefault("name_source", NameSource.PLACEHOLDER)
    return BoardFactory(duo_number=number, **fields)


def test_duo_board_file_names_the_boards_with_kvk_address_and_source(tmp_path, municipalities):
    meerscholen = board("40180")
    path = write(tmp_path / "besturenvo_2023.csv", [VO_HEADER, vo_row()], encoding="cp1252")
    report = duo_import(paths=[path])
    meerscholen.refresh_from_db()
    assert meerscholen.name == "Stichting Meerscholen"
    assert (meerscholen.name_source, meerscholen.name_is_provisional) == (NameSource.DUO, False)
    assert meerscholen.name_source_detail == "DUO, besturenvo_2023.csv (2023)"
    assert meerscholen.kvk_number == "41189899"
    assert (meerscholen.street, meerscholen.postcode, meerscholen.place) == (
        "J.P. Sweelinckstraat 4",
        "3816 PB",
        "AMERSFOORT",
    )
    assert report.counts["board_names"] == {"created": 0, "updated": 1, "unchanged": 0}
    # A second run changes nothing; a board the platform does not have is not created.
    assert duo_import(paths=[path]).counts["board_names"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert Organisation.objects.filter(kind=Organisation.Kind.BOARD).count() == 1


@pytest.mark.parametrize("header", [BO_HEADER, SO_HEADER, UNDERSCORE_HEADER], ids=["bo", "so", "underscores"])
def test_duo_board_files_of_every_sector_are_read_by_column_name(tmp_path, municipalities, header):
    columns = header.split(";")
    values = dict(zip(VO_HEADER.split(";"), vo_row(number="41514", name="Stichting Meerkring").split(";"), strict=True))
    values = {key.replace(" ", "_") if "_" in header else key: value for key, value in values.items()}
    row = ";".join(values.get(column, "BAO") for column in columns)
    target = board("41514")
    duo_import(paths=[write(tmp_path / "besturen.csv", [header, row])])
    target.refresh_from_db()
    assert (target.name, target.kvk_number) == ("Stichting Meerkring", "41189899")


def test_bad_rows_are_all_reported_with_their_line_and_nothing_is_written(tmp_path, municipalities):
    target = board("40180")
    path = write(
        tmp_path / "besturenvo.csv",
        [
            VO_HEADER,
            vo_row(),
            vo_row(number="4O18X"),
            vo_row(number="41208", name=" "),
            vo_row(number="41209", kvk="KVK123"),
            vo_row(number="41210", postcode="38160"),
            vo_row(number="40180", name="Nog een keer"),
            "41211;te weinig velden",
        ],
    )
    with pytest.raises(DuoImportRejected) as rejected:
        duo_import(paths=[path])
    lines = {error.line: error.reason for error in rejected.value.report.errors}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8]
    assert "4O18X" in lines[3]
    assert "BEVOEGD GEZAG NAAM is leeg" in lines[4]
    assert "KVK123" in lines[5]
    assert "38160" in lines[6]
    assert "regel 2" in lines[7]
    assert "verkeerd aantal velden" in lines[8]
    target.refresh_from_db()
    assert (target.name, target.name_source) == ("Bevoegd gezag 40180", NameSource.PLACEHOLDER)
    assert not AuditEvent.objects.filter(action="duo.imported").exists()


def test_derived_list_fills_only_what_duo_lacks_and_is_marked_as_derived(tmp_path, municipalities):
    from_duo, from_list, confirmed = board("40180"), board("30010"), board("41208")
    confirmed = board_name_confirm(board=confirmed, actor=None, name="Onderwijsgroep Amersfoort")
    duo_file = write(tmp_path / "besturenvo_2023.csv", [VO_HEADER, vo_row(), vo_row("41208", "DUO's naam")])
    derived = write(
        tmp_path / "besturen_afgeleid.csv",
        [
            DERIVED_HEADER,
            "41189899,Stichting Meerscholen (lijst),besturenlijst,vo,40180,",
            "41189899,Stg Meridiaan College,rio,vo,40180,",
            "12345678,Sticht. v. Prot. Christ. B.o. Amersfoort,besturenlijst,bo+so,30010,",
            "32075562,Lijstnaam,besturenlijst,so+vo,41208,",
        ],
    )
    # The derived list listed last still loses to DUO's file of the same run.
    duo_import(paths=[duo_file, derived])
    for record in (from_duo, from_list, confirmed):
        record.refresh_from_db()
    assert (from_duo.name, from_duo.name_source) == ("Stichting Meerscholen", NameSource.DUO)
    assert (from_list.name, from_list.name_source) == ("Sticht. v. Prot. Christ. B.o. Amersfoort", NameSource.DERIVED)
    assert from_list.name_source_detail == "afgeleide landelijke lijst, besturen_afgeleid.csv"
    assert from_list.kvk_number == "12345678"
    # What the board confirmed stands against both files; DUO's address still comes in.
    assert (confirmed.name, confirmed.name_source) == ("Onderwijsgroep Amersfoort", NameSource.BOARD)
    assert confirmed.street == "J.P. Sweelinckstraat 4"
    # A later run with the derived list alone does not undo DUO's name.
    duo_import(paths=[derived])
    from_duo.refresh_from_db()
    assert (from_duo.name, from_duo.name_source) == ("Stichting Meerscholen", NameSource.DUO)


def test_a_location_file_that_also_names_the_board_stays_a_location_file(tmp_path):
    from onderwijsregio.organisations.tests.test_import_duo import VO_ADDRESS_HEADER

    header = VO_ADDRESS_HEADER.replace("BEVOEGD GEZAG NUMMER;", "BEVOEGD GEZAG NUMMER;BEVOEGD GEZAG NAAM;")
    assert not board_parser.is_board_file(write(tmp_path / "vestigingen.csv", [header]))
    assert board_parser.is_board_file(write(tmp_path / "besturen.csv", [VO_HEADER]))
    assert board_parser.is_board_file(write(tmp_path / "afgeleid.csv", [DERIVED_HEADER]))


def test_a_board_named_before_sources_were_kept_is_not_renamed(tmp_path, municipalities):
    named = BoardFactory(duo_number="40180", name="Meerscholen", name_is_provisional=False, name_source="")
    duo_import(paths=[write(tmp_path / "besturenvo.csv", [VO_HEADER, vo_row()])])
    named.refresh_from_db()
    assert named.name == "Meerscholen"


def test_shipped_duo_board_file_has_the_known_boards():
    """The done-when of issue 17: a few boards checked against the shipped files."""
    duo_dir = Path(settings.DATA_DIR) / "duo"
    parsed = board_parser.parse_board_file(duo_dir / "duo_vo_03_bevoegde_gezagen_vo_2023.csv")
    assert parsed.errors == [] and parsed.kind == board_parser.BoardFileKind.DUO_BOARDS
    assert parsed.encoding == "cp1252" and len(parsed.boards) == 283
    names = {record.board_number: record for record in parsed.boards}
    assert names["40180"].name == "Stichting Meerscholen" and names["40180"].kvk_number == "41189899"
    assert names["41208"].name == "Stichting Onderwijsgroep Amersfoort"
    assert names["40180"].source_detail == "DUO, duo_vo_03_bevoegde_gezagen_vo_2023.csv (2023)"
    derived = board_parser.parse_board_file(duo_dir / "duo_besturen_namen_kvk_2026_whosigns_seed.csv")
    assert derived.errors == [] and derived.kind == board_parser.BoardFileKind.DERIVED_LIST
    assert len(derived.boards) == 1120 and derived.older_names == 2056
    listed = {record.board_number: record.name for record in derived.boards}
    # A PO board only the derived list names (DUO's VO file has no PO boards).
    assert "41514" not in names
    assert listed["41514"] == "Stichting Meerkring Primair Onderwijs Amersfoort"
    merged = board_parser.merge_boards([derived, parsed])
    assert merged["40180"].kind == board_parser.BoardFileKind.DUO_BOARDS
    assert merged["41514"].kind == board_parser.BoardFileKind.DERIVED_LIST


def test_the_import_page_accepts_the_comma_separated_derived_list():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onderwijsregio.organisations.forms import DuoImportForm

    derived = SimpleUploadedFile(
        "besturen.csv", (DERIVED_HEADER + "\r\n12345678,Stichting X,besturenlijst,bo,30010,\r\n").encode()
    )
    other = SimpleUploadedFile("iets.csv", b"a,b,c\r\n1,2,3\r\n")
    assert DuoImportForm(data={}, files={"files": [derived]}).is_valid()
    form = DuoImportForm(data={}, files={"files": [other]})
    assert not form.is_valid() and "puntkomma" in str(form.errors)


def test_a_regional_teams_import_renames_only_the_boards_of_its_regions(tmp_path, municipalities):
    from onderwijsregio.organisations.tests.factories import RegionFactory, RegionMemberFactory

    region = RegionFactory()
    ours, theirs = board("40180"), board("41208")
    RegionMemberFactory(region=region, member=ours)
    path = write(
        tmp_path / "besturenvo.csv", [VO_HEADER, vo_row(), vo_row("41208", "Stichting Onderwijsgroep Amersfoort")]
    )
    duo_import(paths=[path], editable_regions={region.pk})
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.name == "Stichting Meerscholen"
    assert (theirs.name, theirs.name_source) == ("Bevoegd gezag 41208", NameSource.PLACEHOLDER)
