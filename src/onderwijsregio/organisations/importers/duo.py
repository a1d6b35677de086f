"""Reading and validating DUO open-data files, without touching the database.

This module turns the four DUO files the platform knows into validated records, and lists every
row it rejects with its physical line number (the header is line 1) and a Dutch reason. Writing
is done elsewhere (`importers.store`), in one transaction, and only when no row was rejected.

Which file is which is read from its header, never from its name:
- PO addresses ("02. Alle schoolvestigingen basisonderwijs"): regular primary schools (BO);
- PO pupil history ("06. Historisch overzicht aantal leerlingen per schoolvestiging"): BO, SBO,
  SO, VSO and SO/VSO locations with a count per year;
- VO addresses ("02. Alle vestigingen VO"): with the ONDERWIJSSTRUCTUUR column;
- VO pupils ("03. Leerlingen vo per vestiging en bestuur"): one count per location. The file
  has no year column, so the year (1 October) is taken from the file name (`..._2025.csv`) or
  given by the caller.

Encoding: a UTF-8 byte-order mark means utf-8-sig; otherwise bytes that decode as UTF-8 are
UTF-8; otherwise Windows-1252 (what DUO serves). Fields are `;`-separated and may be quoted;
CRLF and LF both work; a field of only spaces is empty.

Rules for the data:
- Join on codes, never on names: VESTIGINGSCODE (BRIN + 2 digits), BEVOEGD GEZAG NUMMER
  (5 digits), gemeentecode (zero-padded to 4 digits; the history file drops leading zeros).
- "<5" is a small count DUO suppresses: stored as small (unknown 1-4), never as zero.
- A count of 0 is not stored. In the history file 0 means "no pupils counted here that year",
  which DUO writes both for the years before a location opened and after it closed; storing it
  would make closed or future locations look like open schools without pupils. A location
  whose every year is 0 is therefore not created from the history file.
- Rows with gemeentecode 9999 ("ONBEKEND") are DUO's placeholders for locations it cannot
  place (bevoegd gezag 0, no name): they are skipped and listed as notices, not rejected.
- Address files are authoritative for a location's attributes (name, board, address, sector,
  levels); pupil files only create a location that no address file (in this run or before)
  describes, so running files in any order gives the same result.
- When several files in one run describe the same location, VO addresses win over PO
  addresses, which win over VO pupils, which win over the PO history (PRO schools, for
  example, appear in the history file as VSO years ago and are VO now).
- The VO pupils file's column of pupils outsourced to VAVO is not stored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.utils.translation import gettext as _

PROGRESS_EVERY = 200

VESTIGING_CODE_RE = re.compile(r"^\d{2}[A-Z]{2}\d{2}$")
BRIN_RE = re.compile(r"^\d{2}[A-Z]{2}$")
BOARD_RE = re.compile(r"^\d{1,5}$")
MUNICIPALITY_RE = re.compile(r"^\d{1,4}$")
POSTCODE_RE = re.compile(r"^(\d{4}) ?([A-Z]{2})$")
YEAR_COLUMN_RE = re.compile(r"^LEERLINGEN_(\d{4})$")
YEAR_IN_NAME_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")

UNKNOWN_MUNICIPALITY = "9999"
MAX_PUPILS = 100_000

# The lengths of the SchoolLocation columns the records fill (a test keeps them equal).
FIELD_MAX_LENGTHS = {
    "name": 200,
    "school_type": 20,
    "onderwijsstructuur": 50,
    "denomination": 100,
    "street": 200,
    "house_number": 20,
    "place": 100,
    "website": 200,
    "phone": 20,
}


class FileKind(StrEnum):
    PO_ADDRESSES = "po_adressen"
    PO_PUPIL_HISTORY = "po_leerlingen_historisch"
    VO_ADDRESSES = "vo_adressen"
    VO_PUPILS = "vo_leerlingen"

    @property
    def label(self) -> str:
        return {
            FileKind.PO_ADDRESSES: "DUO adressen po",
            FileKind.PO_PUPIL_HISTORY: "DUO leerlingen po historisch",
            FileKind.VO_ADDRESSES: "DUO adressen vo",
            FileKind.VO_PUPILS: "DUO leerlingen vo",
        }[self]

    @property
    def is_address_file(self) -> bool:
        return self in (FileKind.PO_ADDRESSES, FileKind.VO_ADDRESSES)


# Higher wins when two files of one run describe the same location or count.
PRIORITY = {
    FileKind.VO_ADDRESSES: 4,
    FileKind.PO_ADDRESSES: 3,
    FileKind.VO_PUPILS: 2,
    FileKind.PO_PUPIL_HISTORY: 1,
}

ADDRESS_SOURCES = frozenset({FileKind.PO_ADDRESSES.label, FileKind.VO_ADDRESSES.label})

_ADDRESS_COLUMNS = {
    "BEVOEGD GEZAG NUMMER",
    "INSTELLINGSCODE",
    "VESTIGINGSCODE",
    "VESTIGINGSNAAM",
    "STRAATNAAM",
    "HUISNUMMER-TOEVOEGING",
    "POSTCODE",
    "PLAATSNAAM",
    "GEMEENTENUMMER",
    "DENOMINATIE",
    "TELEFOONNUMMER",
    "INTERNETADRES",
}
REQUIRED_COLUMNS = {
    FileKind.VO_ADDRESSES: _ADDRESS_COLUMNS | {"ONDERWIJSSTRUCTUUR"},
    FileKind.PO_ADDRESSES: _ADDRESS_COLUMNS,
    FileKind.PO_PUPIL_HISTORY: {
        "INSTELLINGSCODE",
        "VESTIGINGSCODE",
        "NAAM_VESTIGING",
        "SOORT_VESTIGING",
        "DENOMINATIE_VESTIGING",
        "BEVOEGD_GEZAG_NUMMER",
        "GEMEENTECODE_VESTIGING",
    },
    FileKind.VO_PUPILS: {
        "BEVOEGD GEZAG NUMMER",
        "INSTELLINGSCODE",
        "VESTIGINGSCODE",
        "INSTELLINGSNAAM VESTIGING",
        "PLAATSNAAM",
        "GEMEENTENUMMER",
        "AANTAL LEERLINGEN",
    },
}

# SOORT_VESTIGING in the history file -> sector. SBO is special primary education.
SCHOOL_TYPE_SECTORS = {"BO": "PO", "SBO": "SO", "SO": "SO", "VSO": "SO", "SO/VSO": "SO"}

# ONDERWIJSSTRUCTUUR parts -> VoLevel values.
STRUCTURE_LEVELS = {
    "VBO": "vmbo",
    "MAVO": "vmbo-tl",
    "HAVO": "havo",
    "VWO": "vwo",
    "PRO": "pro",
    "BRUGJAAR": "brugjaar",
    "VSO": "vso",
}
LEVEL_ORDER = ["pro", "vmbo", "vmbo-tl", "havo", "vwo", "vso", "brugjaar"]


@dataclass(frozen=True)
class RowProblem:
    """A rejected (or, for notices, skipped) row: where it is and why, in Dutch."""

    file: str
    line: int
    reason: str

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "reason": self.reason}

    def __str__(self) -> str:
        if not self.file:
            return self.reason
        return _("%(file)s, regel %(line)s: %(reason)s") % {"file": self.file, "line": self.line, "reason": self.reason}


@dataclass
class LocationRecord:
    vestiging_code: str
    brin: str
    name: str
    board_number: str
    municipality_code: str
    sector: str
    kind: FileKind
    school_type: str = ""
    onderwijsstructuur: str = ""
    vo_levels: list[str] = field(default_factory=list)
    denomination: str = ""
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    place: str = ""
    website: str = ""
    phone: str = ""
    # Where the record was read, to report a row the import leaves alone (see services.duo_import).
    file: str = ""
    line: int = 0

    @property
    def authoritative(self) -> bool:
        return self.kind.is_address_file

    @property
    def source(self) -> str:
        return self.kind.label


@dataclass
class CountRecord:
    vestiging_code: str
    year: int
    count: int | None
    is_small: bool
    kind: FileKind
    file: str = ""
    line: int = 0

    @property
    def source(self) -> str:
        return self.kind.label


@dataclass
class ParsedFile:
    path: str
    kind: FileKind | None = None
    encoding: str = ""
    rows: int = 0
    locations: list[LocationRecord] = field(default_factory=list)
    counts: list[CountRecord] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    notices: list[RowProblem] = field(default_factory=list)
    outside_area: int = 0
    without_pupils: int = 0

    def summary(self) -> dict:
        return {
            "file": self.path,
            "kind": str(self.kind) if self.kind else "",
            "encoding": self.encoding,
            "rows": self.rows,
            "locations": len(self.locations),
            "pupil_counts": len(self.counts),
            "rejected": len(self.errors),
            "skipped": len(self.notices),
            "outside_area": self.outside_area,
            "without_pupils": self.without_pupils,
            "outside_region": 0,
        }


def detect_encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_kind(header: Iterable[str]) -> FileKind | None:
    columns = {_column(name) for name in header}
    for kind in (FileKind.VO_ADDRESSES, FileKind.PO_ADDRESSES, FileKind.VO_PUPILS):
        if REQUIRED_COLUMNS[kind] <= columns:
            return kind
    if REQUIRED_COLUMNS[FileKind.PO_PUPIL_HISTORY] <= columns and any(YEAR_COLUMN_RE.match(c) for c in columns):
        return FileKind.PO_PUPIL_HISTORY
    return None


def year_from_file_name(path: str | Path) -> int | None:
    found = YEAR_IN_NAME_RE.findall(Path(path).name)
    return int(found[-1]) if found else None


def count_lines(path: str | Path) -> int:
    """Physical data lines (without the header), cheaply, for progress totals."""
    data = Path(path).read_bytes()
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    return max(0, lines - 1)


def _column(name: str) -> str:
    return name.strip().strip('"').strip().upper()


def _clean(value: str) -> str:
    # DUO writes a single space for an empty field.
    return value.strip()


def parse_count(value: str) -> tuple[int | None, bool]:
    """A DUO count: (count, is_small). Raises ValueError with a Dutch reason."""
    value = _clean(value)
    if value == "<5":
        return None, True
    if not value:
        raise ValueError(_("leeg aantal"))
    if not value.isdigit() or not value.isascii():
        raise ValueError(_("'%(value)s' is geen geldig aantal") % {"value": value})
    number = int(value)
    if number >= MAX_PUPILS:
        raise ValueError(_("%(value)s is geen aannemelijk aantal leerlingen") % {"value": value})
    return number, False


def parse_structure(value: str) -> list[str]:
    """ONDERWIJSSTRUCTUUR ("VBO/MAVO/HAVO/VWO") -> VoLevel values. Raises ValueError."""
    parts = [part.strip().upper() for part in _clean(value).split("/") if part.strip()]
    unknown = [part for part in parts if part not in STRUCTURE_LEVELS]
    if unknown:
        raise ValueError(_("onbekende onderwijsstructuur '%(value)s'") % {"value": "/".join(unknown)})
    levels = {STRUCTURE_LEVELS[part] for part in parts}
    return [level for level in LEVEL_ORDER if level in levels]


class _Row:
    """One data row with its problems; `get` reads a column by its normalised header name."""

    def __init__(self, values: list[str], index: dict[str, int]) -> None:
        self.values = values
        self.index = index
        self.problems: list[str] = []

    def get(self, column: str) -> str:
        return _clean(self.values[self.index[column]])

    def fail(self, reason: str) -> None:
        self.problems.append(reason)

    def vestiging(self, code_column: str = "VESTIGINGSCODE", brin_column: str = "INSTELLINGSCODE") -> str:
        code = self.get(code_column)
        brin = self.get(brin_column)
        if not VESTIGING_CODE_RE.match(code):
            self.fail(
                _("ongeldige vestigingscode '%(value)s' (verwacht: BRIN plus twee cijfers, bijvoorbeeld 02KT00)")
                % {"value": code}
            )
        elif brin != code[:4]:
            self.fail(
                _("vestigingscode %(code)s hoort niet bij instellingscode '%(brin)s'") % {"code": code, "brin": brin}
            )
        return code

    def board(self, column: str) -> str:
        value = self.get(column)
        if not BOARD_RE.match(value) or int(value) == 0:
            self.fail(_("ongeldig bevoegd-gezagnummer '%(value)s'") % {"value": value})
            return value
        return value.zfill(5)

    def municipality(self, column: str, known: set[str]) -> str:
        value = self.get(column)
        if not MUNICIPALITY_RE.match(value):
            self.fail(_("ongeldige gemeentecode '%(value)s'") % {"value": value})
            return value
        code = value.zfill(4)
        if code != UNKNOWN_MUNICIPALITY and code not in known:
            self.fail(_("onbekende gemeentecode %(code)s") % {"code": code})
        return code

    def text(self, column: str, field_name: str, *, required: bool = False) -> str:
        value = self.get(column)
        if required and not value:
            self.fail(_("%(column)s is leeg") % {"column": column})
        if len(value) > FIELD_MAX_LENGTHS[field_name]:
            self.fail(
                _("%(column)s is te lang (meer dan %(max)s tekens)")
                % {"column": column, "max": FIELD_MAX_LENGTHS[field_name]}
            )
        return value

    def postcode(self, column: str) -> str:
        value = self.get(column).upper()
        if not value:
            return ""
        match = POSTCODE_RE.match(value)
        if not match:
            self.fail(_("ongeldige postcode '%(value)s'") % {"value": value})
            return value
        return f"{match.group(1)} {match.group(2)}"

    def count(self, column: str, label: str) -> tuple[int | None, bool]:
        try:
            return parse_count(self.get(column))
        except ValueError as error:
            self.fail(_("%(column)s: %(reason)s") % {"column": label, "reason": error})
            return 0, False


def parse_file(
    path: str | Path,
    *,
    municipality_codes: set[str],
    area: set[str] | None = None,
    year: int | None = None,
    progress: Callable[[int], None] | None = None,
    display_name: str | None = None,
) -> ParsedFile:
    """Read one DUO file into records, collecting every rejected row.

    `municipality_codes` are the known CBS codes (a code outside it rejects the row); `area`,
    when given, keeps only rows in those municipalities (others are counted, not rejected).
    `progress(rows_read)` is called every PROGRESS_EVERY rows.
    """
    name = display_name or Path(path).name
    result = ParsedFile(path=name)
    data = Path(path).read_bytes()
    result.encoding = detect_encoding(data)
    try:
        text = data.decode(result.encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        result.errors.append(RowProblem(name, line, _("het bestand is geen leesbare tekst (UTF-8 of Windows-1252)")))
        return result

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', strict=True)
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append(RowProblem(name, 1, _("het bestand is leeg")))
        return result
    except csv.Error as error:
        result.errors.append(RowProblem(name, 1, _("kolomkop onleesbaar: %(error)s") % {"error": error}))
        return result

    kind = detect_kind(header)
    if kind is None:
        result.errors.append(
            RowProblem(
                name,
                1,
                _(
                    "onbekende kolomkop: dit is geen DUO-bestand dat we kennen (adressen po of vo, "
                    "leerlingen po historisch, leerlingen vo of bevoegde gezagen)"
                ),
            )
        )
        return result
    result.kind = kind
    index = {}
    for position, column in enumerate(header):
        index.setdefault(_column(column), position)

    if kind == FileKind.VO_PUPILS:
        year = year or year_from_file_name(name)
        if year is None:
            result.errors.append(
                RowProblem(
                    name,
                    1,
                    _("het teljaar staat niet in dit bestand: zet het in de bestandsnaam (bijvoorbeeld _2025.csv)"),
                )
            )
            return result
    year_columns = sorted((int(match.group(1)), column) for column in index if (match := YEAR_COLUMN_RE.match(column)))

    seen: dict[str, int] = {}
    header_width = len(header)
    while True:
        # A quoted field may span lines: a record is reported at the line where it starts.
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.rows += 1
            result.errors.append(
                RowProblem(name, line, _("regel onleesbaar (aanhalingstekens?): %(error)s") % {"error": error})
            )
            continue
        if not values or (len(values) == 1 and not values[0].strip()):
            continue
        result.rows += 1
        if progress and result.rows % PROGRESS_EVERY == 0:
            progress(result.rows)
        if len(values) != header_width:
            result.errors.append(
                RowProblem(
                    name,
                    line,
                    _("verkeerd aantal velden: %(found)s in plaats van %(expected)s")
                    % {"found": len(values), "expected": header_width},
                )
            )
            continue
        row = _Row(values, index)
        location, counts = _PARSERS[kind](row, municipality_codes, year_columns, year)
        if location is not None and location.municipality_code == UNKNOWN_MUNICIPALITY:
            # DUO's placeholders (board 0, name "onbekend"): nothing to join them to.
            result.notices.append(
                RowProblem(
                    name,
                    line,
                    _("overgeslagen: DUO plaatst vestiging %(code)s in gemeente 9999 (onbekend)")
                    % {"code": location.vestiging_code},
                )
            )
            continue
        if location is not None and location.vestiging_code in seen and not row.problems:
            row.fail(
                _("vestigingscode %(code)s staat ook op regel %(line)s")
                % {"code": location.vestiging_code, "line": seen[location.vestiging_code]}
            )
        if row.problems:
            result.errors.append(RowProblem(name, line, "; ".join(row.problems)))
            continue
        assert location is not None
        seen[location.vestiging_code] = line
        if area is not None and location.municipality_code not in area:
            result.outside_area += 1
            continue
        if not kind.is_address_file and not counts:
            result.without_pupils += 1
            continue
        for record in (location, *counts):
            record.file, record.line = name, line
        result.locations.append(location)
        result.counts.extend(counts)
    if progress:
        progress(result.rows)
    return result


def _parse_address(
    row: _Row, municipality_codes: set[str], year_columns, year, *, kind: FileKind
) -> tuple[LocationRecord | None, list[CountRecord]]:
    code = row.vestiging()
    board = row.board("BEVOEGD GEZAG NUMMER")
    municipality = row.municipality("GEMEENTENUMMER", municipality_codes)
    structure = ""
    levels: list[str] = []
    if kind == FileKind.VO_ADDRESSES:
        structure = row.text("ONDERWIJSSTRUCTUUR", "onderwijsstructuur")
        try:
            levels = parse_structure(structure)
        except ValueError as error:
            row.fail(str(error))
    location = LocationRecord(
        vestiging_code=code,
        brin=code[:4],
        name=row.text("VESTIGINGSNAAM", "name", required=True),
        board_number=board,
        municipality_code=municipality,
        sector="VO" if kind == FileKind.VO_ADDRESSES else "PO",
        kind=kind,
        school_type="" if kind == FileKind.VO_ADDRESSES else "BO",
        onderwijsstructuur=structure,
        vo_levels=levels,
        denomination=row.text("DENOMINATIE", "denomination"),
        street=row.text("STRAATNAAM", "street"),
        house_number=row.text("HUISNUMMER-TOEVOEGING", "house_number"),
        postcode=row.postcode("POSTCODE"),
        place=row.text("PLAATSNAAM", "place"),
        website=row.text("INTERNETADRES", "website"),
        phone=row.text("TELEFOONNUMMER", "phone"),
    )
    return location, []


def _parse_po_history(
    row: _Row, municipality_codes: set[str], year_columns, year
) -> tuple[LocationRecord | None, list[CountRecord]]:
    code = row.vestiging()
    municipality = row.municipality("GEMEENTECODE_VESTIGING", municipality_codes)
    board = row.board("BEVOEGD_GEZAG_NUMMER")
    school_type = row.text("SOORT_VESTIGING", "school_type").upper()
    sector = SCHOOL_TYPE_SECTORS.get(school_type, "")
    if not sector:
        row.fail(_("onbekende soort vestiging '%(value)s'") % {"value": school_type})
    counts = []
    for count_year, column in year_columns:
        number, small = row.count(column, column)
        if small or number:
            counts.append(CountRecord(code, count_year, number, small, FileKind.PO_PUPIL_HISTORY))
    location = LocationRecord(
        vestiging_code=code,
        brin=code[:4],
        name=row.text("NAAM_VESTIGING", "name", required=True),
        board_number=board,
        municipality_code=municipality,
        sector=sector,
        kind=FileKind.PO_PUPIL_HISTORY,
        school_type=school_type,
        denomination=row.text("DENOMINATIE_VESTIGING", "denomination"),
    )
    return location, counts


def _parse_vo_pupils(
    row: _Row, municipality_codes: set[str], year_columns, year
) -> tuple[LocationRecord | None, list[CountRecord]]:
    code = row.vestiging()
    board = row.board("BEVOEGD GEZAG NUMMER")
    municipality = row.municipality("GEMEENTENUMMER", municipality_codes)
    number, small = row.count("AANTAL LEERLINGEN", "AANTAL LEERLINGEN")
    counts = [CountRecord(code, year, number, small, FileKind.VO_PUPILS)] if (small or number) else []
    location = LocationRecord(
        vestiging_code=code,
        brin=code[:4],
        name=row.text("INSTELLINGSNAAM VESTIGING", "name", required=True),
        board_number=board,
        municipality_code=municipality,
        sector="VO",
        kind=FileKind.VO_PUPILS,
        place=row.text("PLAATSNAAM", "place"),
    )
    return location, counts


_PARSERS = {
    FileKind.PO_ADDRESSES: lambda row, codes, years, year: _parse_address(
        row, codes, years, year, kind=FileKind.PO_ADDRESSES
    ),
    FileKind.VO_ADDRESSES: lambda row, codes, years, year: _parse_address(
        row, codes, years, year, kind=FileKind.VO_ADDRESSES
    ),
    FileKind.PO_PUPIL_HISTORY: _parse_po_history,
    FileKind.VO_PUPILS: _parse_vo_pupils,
}


@dataclass
class ImportPlan:
    """What a run wants the database to hold, merged over its files by PRIORITY."""

    locations: dict[str, LocationRecord]
    counts: dict[tuple[str, int], CountRecord]


def merge(files: Iterable[ParsedFile]) -> ImportPlan:
    locations: dict[str, LocationRecord] = {}
    counts: dict[tuple[str, int], CountRecord] = {}
    for parsed in files:
        for location in parsed.locations:
            current = locations.get(location.vestiging_code)
            if current is None or PRIORITY[location.kind] >= PRIORITY[current.kind]:
                locations[location.vestiging_code] = location
        for count in parsed.counts:
            key = (count.vestiging_code, count.year)
            current_count = counts.get(key)
            if current_count is None or PRIORITY[count.kind] >= PRIORITY[current_count.kind]:
                counts[key] = count
    return ImportPlan(locations=locations, counts=counts)
