"""Reading and validating a board's staff snapshot file (CSV or XLSX), without touching the database.

`parse_snapshot` checks every row of the file and lists every problem with its line number (the
header is line 1, as a spreadsheet shows it) and its column, in Dutch. It writes nothing:
`services.snapshot_upload` stores the rows, in one transaction, only when there is no problem.
`template_csv` and `template_xlsx` produce the downloadable template with its explanation.

Privacy: the file holds one row per employee under the board's own pseudonymous id. A column
that looks like it holds names or contact details (naam, e-mail, BSN, geboortedatum, ...) is
refused outright, and so is any column the template does not know; such values are never echoed
back. A pseudonym is letters, digits and . _ - only, so a full name cannot slip in there either.

CSV: separated by `;` or `,` (read from the header line), UTF-8 with or without byte-order mark
(Windows-1252 is accepted too, as Excel writes it); lines starting with `#` are comments. XLSX:
the sheet "Personeel", or the first sheet.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from onderwijsregio.organisations.models import SchoolLocation, Subject

from .models import ContractType, Function, Gender, StaffDegree

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# Room above MAX_ROWS for the header, comment lines and a few blank lines: every line read counts,
# blank or not, so that a file of millions of empty rows stops being read soon after the limit.
EXTRA_LINES = 1_000
# An XLSX is a zip, and ten megabytes of zip can unpack to gigabytes: the parts together may unpack
# to at most this much. 50,000 rows of the template's columns take about 35 MB.
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
ROW_RE = re.compile(rb"<(?:\w+:)?row[\s>/]")
DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?[A-Z]*\$?(\d+)(?::\$?[A-Z]*\$?(\d+))?"')
SHEET_NAME = "Personeel"
PSEUDONYM_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
VESTIGING_RE = re.compile(r"^\d{2}[A-Z]{2}\d{2}$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as in the template
    required: bool
    explanation: str
    example: str
    aliases: tuple[str, ...] = ()


def columns() -> list[Column]:
    """The template's columns, in order (a function so the texts follow the active language)."""
    return [
        Column(
            "pseudonym",
            "pseudoniem",
            True,
            _(
                "Uw eigen code per medewerker, geen naam of personeelsnummer dat anderen kunnen herleiden. "
                "Alleen letters, cijfers, punt, streepje en liggend streepje; uniek in het bestand."
            ),
            "P0001",
            ("pseudoniem id", "pseudoniem-id", "id"),
        ),
        Column("birth_year", "geboortejaar", True, _("Het jaar, bijvoorbeeld 1975 (geen geboortedatum)."), "1975"),
        Column("gender", "geslacht", True, _("v (vrouw), m (man) of x (anders of onbekend)."), "v"),
        Column(
            "function",
            "functiegroep",
            True,
            _("OP (onderwijsgevend personeel), OOP (onderwijsondersteunend personeel) of directie."),
            "OP",
            ("functie",),
        ),
        Column(
            "subjects",
            "vakken",
            False,
            _(
                "Vak en bevoegdheid, gescheiden door een dubbele punt; meerdere vakken gescheiden door een "
                "puntkomma. Vak: SLO-code of naam (bijvoorbeeld wi of wiskunde). Bevoegdheid: eerstegraads, "
                "tweedegraads, beperkt tweedegraads, pdg, in opleiding of geen."
            ),
            "wiskunde:eerstegraads; natuurkunde:tweedegraads",
            ("vak", "vakken en bevoegdheden", "vak:bevoegdheid"),
        ),
        Column(
            "fte",
            "fte",
            True,
            _("Omvang van de betrekking, groter dan 0 en hoogstens 2, bijvoorbeeld 0,8."),
            "0,8",
            ("wtf", "betrekking"),
        ),
        Column(
            "contract_type",
            "contract",
            True,
            _("vast, tijdelijk of anders (inhuur, payroll)."),
            "vast",
            ("soort contract", "contractsoort", "dienstverband"),
        ),
        Column(
            "start_education",
            "in onderwijs sinds",
            True,
            _("Datum van de eerste baan in het onderwijs, dd-mm-jjjj of jjjj-mm-dd."),
            "01-08-2001",
            ("in het onderwijs sinds", "onderwijs sinds", "startdatum onderwijs"),
        ),
        Column(
            "start_board",
            "bij bestuur sinds",
            True,
            _("Datum van indiensttreding bij uw bestuur, dd-mm-jjjj of jjjj-mm-dd."),
            "01-08-2010",
            ("bij het bestuur sinds", "in dienst sinds", "startdatum bestuur"),
        ),
        Column(
            "school_location",
            "vestiging",
            False,
            _(
                "DUO-vestigingscode van de school waar de medewerker vooral werkt, bijvoorbeeld 02KT00. "
                "Leeg voor bovenschools personeel. De vestiging moet bij uw bestuur horen."
            ),
            "",
            ("vestigingscode", "brin vestiging", "school"),
        ),
        Column(
            "absence_pct",
            "verzuim %",
            False,
            _("Ziekteverzuim over de laatste 12 maanden in procenten, 0 tot en met 100. Nooit een reden of diagnose."),
            "4,5",
            ("verzuim", "verzuimpercentage", "ziekteverzuim", "ziekteverzuim %", "verzuim (%)"),
        ),
        Column(
            "planned_exit_date",
            "geplande uitstroom",
            False,
            _("Datum waarop de medewerker vertrekt, als die al bekend is (pensioen, ontslag), dd-mm-jjjj."),
            "",
            ("geplande uitstroomdatum", "uitstroomdatum", "vertrekdatum"),
        ),
    ]


# Headers that suggest directly identifying data; the file is refused (privacy by design).
IDENTIFYING_HEADERS = {
    "naam",
    "namen",
    "voornaam",
    "voornamen",
    "achternaam",
    "roepnaam",
    "voorletters",
    "tussenvoegsel",
    "geslachtsnaam",
    "volledige naam",
    "naam medewerker",
    "medewerker",
    "name",
    "first name",
    "last name",
    "full name",
    "e-mail",
    "email",
    "e-mailadres",
    "emailadres",
    "mail",
    "bsn",
    "burgerservicenummer",
    "sofinummer",
    "geboortedatum",
    "adres",
    "straat",
    "woonplaats",
    "postcode",
    "telefoon",
    "telefoonnummer",
    "mobiel",
    "iban",
    "diagnose",
    "verzuimreden",
    "reden verzuim",
    "ziekte",
}
IDENTIFYING_WORDS = ("naam", "name", "mail", "bsn", "geboortedatum", "telefoon", "adres", "diagnose")

FUNCTION_VALUES = {
    "op": Function.TEACHING,
    "onderwijsgevend personeel": Function.TEACHING,
    "onderwijzend personeel": Function.TEACHING,
    "onderwijsgevend": Function.TEACHING,
    "docent": Function.TEACHING,
    "leraar": Function.TEACHING,
    "leerkracht": Function.TEACHING,
    "teaching": Function.TEACHING,
    "oop": Function.SUPPORT,
    "onderwijsondersteunend personeel": Function.SUPPORT,
    "onderwijsondersteunend": Function.SUPPORT,
    "ondersteunend personeel": Function.SUPPORT,
    "support": Function.SUPPORT,
    "directie": Function.MANAGEMENT,
    "dir": Function.MANAGEMENT,
    "directie en management": Function.MANAGEMENT,
    "management": Function.MANAGEMENT,
    "leidinggevend": Function.MANAGEMENT,
}
GENDER_VALUES = {
    "v": Gender.FEMALE,
    "vrouw": Gender.FEMALE,
    "f": Gender.FEMALE,
    "m": Gender.MALE,
    "man": Gender.MALE,
    "x": Gender.OTHER,
    "anders": Gender.OTHER,
    "onbekend": Gender.OTHER,
}
CONTRACT_VALUES = {
    "vast": ContractType.PERMANENT,
    "onbepaalde tijd": ContractType.PERMANENT,
    "permanent": ContractType.PERMANENT,
    "tijdelijk": ContractType.FIXED_TERM,
    "bepaalde tijd": ContractType.FIXED_TERM,
    "fixed_term": ContractType.FIXED_TERM,
    "anders": ContractType.OTHER,
    "inhuur": ContractType.OTHER,
    "payroll": ContractType.OTHER,
    "other": ContractType.OTHER,
}
DEGREE_VALUES = {
    "eerstegraads": StaffDegree.FIRST,
    "eerste graads": StaffDegree.FIRST,
    "1e graads": StaffDegree.FIRST,
    "1e-graads": StaffDegree.FIRST,
    "eerstegraad": StaffDegree.FIRST,
    "1": StaffDegree.FIRST,
    "first": StaffDegree.FIRST,
    "tweedegraads": StaffDegree.SECOND,
    "tweede graads": StaffDegree.SECOND,
    "2e graads": StaffDegree.SECOND,
    "2e-graads": StaffDegree.SECOND,
    "tweedegraad": StaffDegree.SECOND,
    "2": StaffDegree.SECOND,
    "second": StaffDegree.SECOND,
    "beperkt tweedegraads": StaffDegree.LIMITED_SECOND,
    "beperkt 2e graads": StaffDegree.LIMITED_SECOND,
    "beperkt": StaffDegree.LIMITED_SECOND,
    "limited_second": StaffDegree.LIMITED_SECOND,
    "pdg": StaffDegree.PDG,
    "in opleiding": StaffDegree.IN_TRAINING,
    "opleiding": StaffDegree.IN_TRAINING,
    "lio": StaffDegree.IN_TRAINING,
    "in_training": StaffDegree.IN_TRAINING,
    "geen": StaffDegree.NONE,
    "onbevoegd": StaffDegree.NONE,
    "none": StaffDegree.NONE,
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (line, column header) and what, in Dutch."""

    line: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = _("regel %(line)s") % {"line": self.line} if self.line else _("bestand")
        if self.column:
            where = f"{where}, {_('kolom')} '{self.column}'"
        return f"{where}: {self.message}"


@dataclass
class ParseResult:
    file_kind: str = ""  # "csv" or "xlsx"
    rows: list[dict[str, Any]] = field(default_factory=list)  # StaffRow fields, ready to store
    problems: list[Problem] = field(default_factory=list)
    data_lines: int = 0  # rows read (with or without problems)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({p.line for p in self.problems if p.line > 0})


def normalise_header(value: Any) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).replace("\ufeff", "").strip().lower()
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*\((optioneel|niet verplicht|verplicht)\)$", "", text).strip().rstrip("*").strip()


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value
    return "" if value is None else value


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d-%m-%Y")
    return str(value).strip()


# --- reading the file --------------------------------------------------------------------------


def _looks_like_xlsx(data: bytes, filename: str) -> bool:
    return data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm"))


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _decode(data)
    lines = text.splitlines(keepends=True)
    header = next((line for line in lines if line.strip() and not line.lstrip().lstrip('"').startswith("#")), "")
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    for values in reader:
        line_start = line + 1
        line = reader.line_num
        yield line_start, values


def _xlsx_refusal(data: bytes) -> Problem | None:
    """Why an XLSX is too big to read, judged from its zip directory and declared dimensions alone.

    Nothing is unpacked but the start of each sheet (where its `<dimension>` is). A file that is
    no zip at all is left to the reader, which reports it as unreadable.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        parts = archive.infolist()
        if sum(part.file_size for part in parts) > MAX_XLSX_UNPACKED:
            return Problem(
                0,
                "",
                _(
                    "Het bestand is uitgepakt groter dan %(max)s MB; een personeelsbestand van %(rows)s regels is "
                    "veel kleiner. Sla het werkblad opnieuw op zonder lege of opgemaakte regels en kolommen."
                )
                % {"max": MAX_XLSX_UNPACKED // (1024 * 1024), "rows": MAX_ROWS},
            )
        for part in parts:
            if not (part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")):
                continue
            try:
                declared = _declared_rows(archive, part)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
                return None
            if declared > MAX_ROWS + EXTRA_LINES + 1:
                return Problem(
                    0,
                    "",
                    _(
                        "Het werkblad heeft %(declared)s regels; een personeelsbestand mag hoogstens %(max)s regels "
                        "hebben (lege regels tellen mee). Verwijder de lege regels onderaan het werkblad."
                    )
                    % {"declared": declared, "max": MAX_ROWS},
                )
    return None


def _declared_rows(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    """The last row a sheet declares in its `<dimension>`, or else the number of its `<row>` elements.

    Without a dimension the reader would scan the whole sheet to size it before the first row;
    counting the elements in the unpacked stream is far cheaper and stops a sheet of millions of
    empty rows before that scan.
    """
    with archive.open(part) as sheet:
        start = sheet.read(64 * 1024)
        match = DIMENSION_RE.search(start)
        if match is not None:
            return int(match.group(2) or match.group(1))
        rows = len(ROW_RE.findall(start))
        tail = start[-16:]
        while chunk := sheet.read(1024 * 1024):
            # An element split over two chunks is counted once: count the joint, minus the tail alone.
            joined = tail + chunk
            rows += len(ROW_RE.findall(joined)) - len(ROW_RE.findall(tail))
            tail = joined[-16:]
    return rows


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
        for index, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield index, list(values)
    finally:
        workbook.close()


def _is_blank(values: list[Any]) -> bool:
    return all(_cell(v) == "" for v in values)


def _is_comment(values: list[Any]) -> bool:
    first = next((v for v in values if _cell(v) != ""), "")
    return isinstance(first, str) and first.strip().startswith("#")


# --- value parsers: each returns (value, error message or "") ----------------------------------


def parse_date(value: Any) -> tuple[date | None, str]:
    if isinstance(value, datetime):
        return value.date(), ""
    if isinstance(value, date):
        return value, ""
    text = _text(value)
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date(), ""
        except ValueError:
            continue
    return None, _("'%(value)s' is geen datum; gebruik dd-mm-jjjj, bijvoorbeeld 01-08-2010.") % {"value": text[:40]}


def parse_decimal(value: Any) -> Decimal | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    text = _text(value).replace("%", "").replace(" ", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


class _Subjects:
    """Subject lookup by SLO code (exact, then any case) or name (any case)."""

    def __init__(self) -> None:
        self.exact: dict[str, str] = {}
        self.folded: dict[str, str] = {}
        pairs = list(Subject.objects.order_by("code").values_list("code", "name"))
        for code, _name in pairs:
            self.exact[code] = code
            self.folded.setdefault(code.casefold(), code)
        # Names after codes: a code always wins over a name that happens to read the same.
        for code, name in pairs:
            self.folded.setdefault(name.strip().casefold(), code)

    def find(self, text: str) -> str | None:
        return self.exact.get(text) or self.folded.get(text.strip().casefold())


def parse_subjects(value: Any, lookup: _Subjects) -> tuple[list[dict[str, str]], list[str]]:
    text = _text(value)
    if not text:
        return [], []
    subjects: list[dict[str, str]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        if ":" not in part:
            errors.append(
                _("Geef bij '%(part)s' ook de bevoegdheid, bijvoorbeeld %(part)s:tweedegraads.") % {"part": part[:40]}
            )
            continue
        subject_text, degree_text = (s.strip() for s in part.rsplit(":", 1))
        code = lookup.find(subject_text)
        degree = DEGREE_VALUES.get(normalise_header(degree_text))
        if code is None:
            errors.append(
                _("Onbekend vak '%(subject)s'; gebruik een SLO-code of vaknaam.") % {"subject": subject_text[:40]}
            )
        if degree is None:
            errors.append(
                _(
                    "Onbekende bevoegdheid '%(degree)s'; kies eerstegraads, tweedegraads, beperkt tweedegraads, pdg, "
                    "in opleiding of geen."
                )
                % {"degree": degree_text[:40]}
            )
        if code is None or degree is None:
            continue
        if code in seen:
            errors.append(_("Vak '%(subject)s' staat er twee keer in.") % {"subject": subject_text[:40]})
            continue
        seen.add(code)
        subjects.append({"subject": code, "degree": str(degree)})
    return subjects, errors


# --- the parser --------------------------------------------------------------------------------


def _header_index(header: list[Any], header_line: int, result: ParseResult) -> dict[str, int] | None:
    known: dict[str, Column] = {}
    for column in columns():
        known[normalise_header(column.header)] = column
        for alias in column.aliases:
            known[normalise_header(alias)] = column
    index: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = normalise_header(raw)
        if not name:
            continue
        shown = _text(raw)[:60]
        if name in IDENTIFYING_HEADERS or (name not in known and any(word in name for word in IDENTIFYING_WORDS)):
            result.problems.append(
                Problem(
                    header_line,
                    shown,
                    _(
                        "Deze kolom lijkt namen, contactgegevens of andere direct herleidbare gegevens te bevatten. "
                        "Het platform neemt die niet op: verwijder de kolom en gebruik alleen een pseudoniem per "
                        "medewerker. Er is niets opgeslagen."
                    ),
                )
            )
            continue
        column = known.get(name)
        if column is None:
            result.problems.append(
                Problem(
                    header_line,
                    shown,
                    _("Onbekende kolom. Verwijder deze kolom; het sjabloon noemt de toegestane kolommen."),
                )
            )
            continue
        if column.key in index:
            result.problems.append(Problem(header_line, shown, _("Deze kolom staat er twee keer in.")))
            continue
        index[column.key] = position
    for column in columns():
        if column.required and column.key not in index:
            result.problems.append(Problem(header_line, column.header, _("Deze verplichte kolom ontbreekt.")))
    if result.problems:
        return None
    return index


def parse_snapshot(data: bytes, filename: str, *, board, reference_date: date) -> ParseResult:
    """Validate a whole snapshot file for `board` as of `reference_date`; see the module docstring."""
    result = ParseResult()
    if not data:
        result.problems.append(Problem(0, "", _("Het bestand is leeg.")))
        return result
    if len(data) > MAX_BYTES:
        result.problems.append(Problem(0, "", _("Het bestand is groter dan 10 MB.")))
        return result
    if _looks_like_xlsx(data, filename):
        result.file_kind = "xlsx"
        refusal = _xlsx_refusal(data)
        if refusal is not None:
            result.problems.append(refusal)
            return result
        lines: Iterator[tuple[int, list[Any]]] = _xlsx_lines(data)
    else:
        result.file_kind = "csv"
        lines = _csv_lines(data)
    too_many = Problem(
        0,
        "",
        _("Het bestand heeft meer dan %(max)s regels (lege regels tellen mee); verwijder lege regels onderaan.")
        % {"max": MAX_ROWS},
    )
    try:
        materialised = []
        read = 0
        for line, values in lines:
            # Blank and comment lines count too: a sheet of a million empty rows is refused after
            # reading about MAX_ROWS of them, not after reading all.
            read += 1
            if read > MAX_ROWS + EXTRA_LINES + 1:
                result.problems.append(too_many)
                return result
            if _is_blank(values) or _is_comment(values):
                continue
            materialised.append((line, values))
            if len(materialised) > MAX_ROWS + 1:
                result.problems.append(too_many)
                return result
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, csv.Error):
        result.problems.append(
            Problem(
                0,
                "",
                _("Het bestand is niet te lezen. Lever een CSV-bestand (UTF-8) of een Excel-bestand (.xlsx) aan."),
            )
        )
        return result
    finally:
        lines.close()  # closes the workbook now, also when reading stopped early
    if not materialised:
        result.problems.append(Problem(0, "", _("Het bestand is leeg: er staat geen kopregel in.")))
        return result
    header_line, header = materialised[0]
    index = _header_index(header, header_line, result)
    if index is None:
        return result
    headers = {key: _text(header[position]) for key, position in index.items()}
    context = _RowContext(board=board, reference_date=reference_date)
    first_line_of: dict[str, int] = {}
    for line, values in materialised[1:]:
        result.data_lines += 1
        row, problems = _parse_row(line, values, index, headers, context)
        pseudonym = row.get("pseudonym")
        if pseudonym is not None:
            # Checked on every row, also one with other problems, so the report is complete.
            earlier = first_line_of.get(pseudonym.casefold())
            if earlier is not None:
                problems.insert(
                    0,
                    Problem(
                        line,
                        headers["pseudonym"],
                        _(
                            "Pseudoniem '%(value)s' komt al voor op regel %(line)s; elk pseudoniem mag één keer voorkomen."
                        )
                        % {"value": pseudonym, "line": earlier},
                    ),
                )
            else:
                first_line_of[pseudonym.casefold()] = line
        if problems:
            result.problems.extend(problems)
        else:
            result.rows.append(row)
    if result.data_lines == 0:
        result.problems.append(Problem(0, "", _("Het bestand bevat geen medewerkers, alleen een kopregel.")))
    if result.problems:
        result.rows = []
    return result


class _RowContext:
    def __init__(self, *, board, reference_date: date) -> None:
        self.board = board
        self.reference_date = reference_date
        self.subjects = _Subjects()
        self.locations = {
            code: (pk, board_id)
            for code, pk, board_id in SchoolLocation.objects.values_list("vestiging_code", "pk", "board_id")
        }


def _parse_row(
    line: int,
    values: list[Any],
    index: dict[str, int],
    headers: dict[str, str],
    context: _RowContext,
) -> tuple[dict[str, Any], list[Problem]]:
    """The row's StaffRow fields and its problems; the fields are complete only when there are none."""
    problems: list[Problem] = []

    def raw(key: str) -> Any:
        position = index.get(key)
        if position is None or position >= len(values):
            return ""
        return _cell(values[position])

    def fail(key: str, message: str) -> None:
        problems.append(Problem(line, headers.get(key, key), message))

    def required(key: str) -> Any:
        value = raw(key)
        if value == "":
            fail(key, _("Dit veld is verplicht."))
            return None
        return value

    row: dict[str, Any] = {"line_number": line}
    ref = context.reference_date

    value = required("pseudonym")
    if value is not None:
        text = _text(value)
        if "@" in text:
            fail("pseudonym", _("Dit lijkt een e-mailadres. Gebruik een pseudoniem, nooit een naam of e-mailadres."))
        elif not PSEUDONYM_RE.match(text):
            fail(
                "pseudonym",
                _(
                    "Een pseudoniem bestaat uit hoogstens 64 letters, cijfers, punten en (liggende) streepjes, zonder "
                    "spaties; gebruik nooit een naam."
                ),
            )
        else:
            row["pseudonym"] = text

    value = required("birth_year")
    if value is not None:
        number = parse_decimal(value)
        if number is None or number != number.to_integral_value():
            fail(
                "birth_year",
                _("'%(value)s' is geen jaartal; vul een jaar in, bijvoorbeeld 1975.") % {"value": _text(value)[:40]},
            )
        else:
            year = int(number)
            age = ref.year - year
            if not 1940 <= year <= 2015 or not 15 <= age <= 80:
                fail(
                    "birth_year",
                    _(
                        "Geboortejaar %(year)s kan niet: de medewerker moet op de peildatum tussen 15 en 80 jaar oud "
                        "zijn (en geboren tussen 1940 en 2015)."
                    )
                    % {"year": year},
                )
            else:
                row["birth_year"] = year

    value = required("gender")
    if value is not None:
        gender = GENDER_VALUES.get(normalise_header(value))
        if gender is None:
            fail("gender", _("'%(value)s' kan niet; kies v, m of x.") % {"value": _text(value)[:20]})
        else:
            row["gender"] = str(gender)

    value = required("function")
    if value is not None:
        function = FUNCTION_VALUES.get(normalise_header(value))
        if function is None:
            fail("function", _("'%(value)s' kan niet; kies OP, OOP of directie.") % {"value": _text(value)[:40]})
        else:
            row["function"] = str(function)

    subjects, subject_errors = parse_subjects(raw("subjects"), context.subjects)
    for message in subject_errors:
        fail("subjects", message)
    row["subjects"] = subjects

    value = required("fte")
    if value is not None:
        number = parse_decimal(value)
        if number is None:
            fail("fte", _("'%(value)s' is geen getal; vul bijvoorbeeld 0,8 in.") % {"value": _text(value)[:40]})
        elif not Decimal("0") < number <= Decimal("2"):
            fail("fte", _("De fte moet groter zijn dan 0 en hoogstens 2."))
        else:
            row["fte"] = number.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)

    value = required("contract_type")
    if value is not None:
        contract = CONTRACT_VALUES.get(normalise_header(value))
        if contract is None:
            fail(
                "contract_type",
                _("'%(value)s' kan niet; kies vast, tijdelijk of anders.") % {"value": _text(value)[:40]},
            )
        else:
            row["contract_type"] = str(contract)

    earliest = date(row["birth_year"] + 14, 1, 1) if "birth_year" in row else date(1950, 1, 1)
    for key in ("start_education", "start_board"):
        value = required(key)
        if value is None:
            continue
        parsed, error = parse_date(value)
        if error:
            fail(key, error)
        elif parsed > ref:
            fail(key, _("Deze datum ligt na de peildatum %(date)s.") % {"date": ref.strftime("%d-%m-%Y")})
        elif parsed < earliest:
            fail(key, _("Deze datum ligt vóór het 14e levensjaar of vóór 1950."))
        else:
            row[key] = parsed

    value = raw("school_location")
    row["school_location_id"] = None
    if value != "":
        code = _text(value).upper().replace(" ", "")
        found = context.locations.get(code)
        if not VESTIGING_RE.match(code):
            fail(
                "school_location",
                _("'%(value)s' is geen vestigingscode; die bestaat uit BRIN plus twee cijfers, bijvoorbeeld 02KT00.")
                % {"value": _text(value)[:20]},
            )
        elif found is None:
            fail("school_location", _("Vestiging %(code)s is niet bekend bij DUO.") % {"code": code})
        elif found[1] != context.board.pk:
            fail("school_location", _("Vestiging %(code)s hoort niet bij uw bestuur.") % {"code": code})
        else:
            row["school_location_id"] = found[0]

    value = raw("absence_pct")
    row["absence_pct"] = None
    if value != "":
        number = parse_decimal(value)
        if number is None:
            fail(
                "absence_pct",
                _("'%(value)s' is geen percentage; vul bijvoorbeeld 4,5 in.") % {"value": _text(value)[:20]},
            )
        elif not Decimal("0") <= number <= Decimal("100"):
            fail("absence_pct", _("Het verzuim moet tussen 0 en 100 procent liggen."))
        else:
            row["absence_pct"] = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    value = raw("planned_exit_date")
    row["planned_exit_date"] = None
    if value != "":
        parsed, error = parse_date(value)
        if error:
            fail("planned_exit_date", error)
        elif parsed < ref:
            fail("planned_exit_date", _("De geplande uitstroom ligt vóór de peildatum; laat deze medewerker weg."))
        else:
            row["planned_exit_date"] = parsed

    return row, problems


# --- the template ------------------------------------------------------------------------------

EXAMPLE_ROWS = [
    [
        "P0001",
        "1975",
        "v",
        "OP",
        "wiskunde:eerstegraads; natuurkunde:tweedegraads",
        "0,8",
        "vast",
        "01-08-2001",
        "01-08-2010",
        "",
        "4,5",
        "",
    ],
    ["P0002", "1962", "m", "OOP", "", "1,0", "vast", "01-01-1990", "01-01-1995", "", "", "01-02-2029"],
]


def template_csv() -> bytes:
    """The CSV template: explanation as #-comment lines (skipped on upload), then the header."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _(
                "# Sjabloon personeelsbestand. Regels die met # beginnen worden overgeslagen. "
                "Eén regel per medewerker, zonder namen."
            )
        ]
    )
    for column in columns():
        status = _("verplicht") if column.required else _("niet verplicht")
        writer.writerow([f"# {column.header} ({status}): {column.explanation}"])
    for example in EXAMPLE_ROWS:
        writer.writerow([f"# {_('voorbeeld')}: " + ";".join(example)])
    writer.writerow([column.header for column in columns()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(board=None) -> bytes:
    """The XLSX template: sheet "Personeel" to fill in, "Toelichting" per column, "Vakken" and "Vestigingen"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append([column.header for column in columns()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, column in zip("ABCDEFGHIJKL", columns(), strict=False):
        sheet.column_dimensions[letter].width = max(12, len(column.header) + 4)
    sheet.freeze_panes = "A2"

    explanation = workbook.create_sheet(_("Toelichting"))
    explanation.append([_("Kolom"), _("Verplicht"), _("Uitleg"), _("Voorbeeld")])
    for cell in explanation[1]:
        cell.font = Font(bold=True)
    for column in columns():
        explanation.append(
            [column.header, _("ja") if column.required else _("nee"), column.explanation, column.example]
        )
    explanation.append([])
    explanation.append(
        [
            _(
                "Vul het tabblad Personeel in: één regel per medewerker, zonder namen of e-mailadressen. "
                "Een bestand met een fout slaat niets op; u krijgt een lijst met elke fout per regel."
            )
        ]
    )
    explanation.column_dimensions["A"].width = 22
    explanation.column_dimensions["C"].width = 90
    explanation.column_dimensions["D"].width = 40

    subjects = workbook.create_sheet(_("Vakken"))
    subjects.append([_("SLO-code"), _("Vak")])
    for cell in subjects[1]:
        cell.font = Font(bold=True)
    for code, name in Subject.objects.order_by("name").values_list("code", "name"):
        subjects.append([code, name])

    if board is not None:
        locations = workbook.create_sheet(_("Vestigingen"))
        locations.append([_("Vestigingscode"), _("Naam"), _("Plaats")])
        for cell in locations[1]:
            cell.font = Font(bold=True)
        for code, name, place in (
            SchoolLocation.objects.filter(board=board)
            .order_by("vestiging_code")
            .values_list("vestiging_code", "name", "place")
        ):
            locations.append([code, name, place])

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
