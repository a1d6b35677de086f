"""Reading board names from DUO's board files and from the derived national list, without the database.

Two kinds of file are known, told apart by their header, never by their name:
- DUO's "Adressen bevoegde gezagen" files ("03. Bevoegde gezagen vo" and the same layout for
  bo, so, mbo and ho: `besturenbo.csv`, `besturenso.csv`, `besturenvo.csv`, `besturenmbo.csv`,
  `besturenho.csv`). The columns are read by name, so their order does not matter (DUO puts
  KVK-NUMMER before ADMINISTRATIEKANTOORNUMMER in the bo file and after it elsewhere), extra
  leading columns such as SOORT PRIMAIR ONDERWIJS (so) or SOORT HO (ho) are ignored, and older
  files that write the column names with underscores (BEVOEGD_GEZAG_NUMMER) are read as well.
  Only BEVOEGD GEZAG NUMMER and BEVOEGD GEZAG NAAM are required; address and KVK-NUMMER are
  kept when present.
- The derived national list (`duo_besturen_namen_kvk_2026_whosigns_seed.csv`: kvk, naam,
  herkomst, soort, bevoegd_gezag): not a DUO original, so its names rank below DUO's file.
  Only its `besturenlijst` rows (one current name per board) are used; `rio` rows are older
  names.

Every rejected row is listed with its physical line number (the header is line 1), as the DUO
location importer does; the caller writes nothing when any row is rejected.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from django.utils.translation import gettext as _

from .duo import BOARD_RE, POSTCODE_RE, RowProblem, detect_encoding, detect_kind, year_from_file_name

KVK_RE = re.compile(r"^\d{1,8}$")
NAME_MAX_LENGTH = 200
STREET_MAX_LENGTH = 220
PLACE_MAX_LENGTH = 100


class BoardFileKind(StrEnum):
    DUO_BOARDS = "duo_bevoegde_gezagen"
    DERIVED_LIST = "besturen_afgeleid"


DUO_REQUIRED = {"BEVOEGD GEZAG NUMMER", "BEVOEGD GEZAG NAAM"}
DERIVED_REQUIRED = {"KVK", "NAAM", "HERKOMST", "BEVOEGD_GEZAG"}
DERIVED_CURRENT = "besturenlijst"


@dataclass
class BoardRecord:
    board_number: str
    name: str
    kind: BoardFileKind
    # The file (and year) the name comes from, shown with the name.
    source_detail: str
    kvk_number: str = ""
    street: str = ""
    postcode: str = ""
    place: str = ""
    file: str = ""
    line: int = 0


@dataclass
class ParsedBoardFile:
    path: str
    kind: BoardFileKind | None = None
    encoding: str = ""
    rows: int = 0
    boards: list[BoardRecord] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    # Rows of the derived list that are older names (herkomst "rio"): read, not used.
    older_names: int = 0

    def summary(self) -> dict:
        # The same keys as a location file's summary, so the reports show both alike.
        return {
            "file": self.path,
            "kind": str(self.kind) if self.kind else "",
            "encoding": self.encoding,
            "rows": self.rows,
            "locations": 0,
            "pupil_counts": 0,
            "boards": len(self.boards),
            "rejected": len(self.errors),
            "skipped": self.older_names,
            "outside_area": 0,
            "without_pupils": 0,
            "outside_region": 0,
        }


def _duo_column(name: str) -> str:
    # "BEVOEGD_GEZAG_NUMMER" (older DUO files) and "Bevoegd gezag nummer" read as DUO's current name.
    return re.sub(r"[\s_]+", " ", name.strip().strip('"').strip().upper().lstrip("\ufeff"))


def detect_board_kind(header: Iterable[str]) -> BoardFileKind | None:
    header = list(header)
    if {_duo_column(name) for name in header} >= DUO_REQUIRED:
        return BoardFileKind.DUO_BOARDS
    if {name.strip().strip('"').strip().upper().lstrip("\ufeff") for name in header} >= DERIVED_REQUIRED:
        return BoardFileKind.DERIVED_LIST
    return None


def _decode(path: Path) -> tuple[str, str] | None:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return None


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].rstrip("\r")


def is_board_file(path: str | Path) -> bool:
    """Whether the file's header is one of the two board layouts (cheap: reads the first line)."""
    with open(path, "rb") as handle:
        first = handle.readline()
    encoding = detect_encoding(first)
    try:
        line = first.decode(encoding).rstrip("\r\n")
    except UnicodeDecodeError:
        return False
    header = next(csv.reader([line], delimiter=";"))
    # A location file that also names the board (some DUO files do) stays a location file.
    if detect_kind(header) is not None:
        return False
    return any(detect_board_kind(next(csv.reader([line], delimiter=delimiter))) is not None for delimiter in (";", ","))


def parse_board_file(path: str | Path, *, display_name: str | None = None) -> ParsedBoardFile:
    name = display_name or Path(path).name
    result = ParsedBoardFile(path=name)
    decoded = _decode(Path(path))
    if decoded is None:
        result.errors.append(RowProblem(name, 1, _("het bestand is geen leesbare tekst (UTF-8 of Windows-1252)")))
        return result
    text, result.encoding = decoded
    if not text.strip():
        result.errors.append(RowProblem(name, 1, _("het bestand is leeg")))
        return result
    # DUO separates with ';', the derived list with ','; the header says which.
    delimiter = ";" if _first_line(text).count(";") >= _first_line(text).count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=True)
    header = next(reader)
    kind = detect_board_kind(header)
    if kind is None:
        result.errors.append(
            RowProblem(name, 1, _("onbekende kolomkop: dit is geen bestand met besturen dat we kennen"))
        )
        return result
    result.kind = kind
    normalise = _duo_column if kind == BoardFileKind.DUO_BOARDS else (lambda c: c.strip().strip('"').strip().upper())
    index: dict[str, int] = {}
    for position, column in enumerate(header):
        index.setdefault(normalise(column), position)
    if kind == BoardFileKind.DUO_BOARDS:
        year = year_from_file_name(name)
        detail = (
            _("DUO, %(file)s (%(year)s)") % {"file": name, "year": year}
            if year
            else _("DUO, %(file)s") % {"file": name}
        )
    else:
        detail = _("afgeleide landelijke lijst, %(file)s") % {"file": name}

    seen: dict[str, int] = {}
    while True:
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
        if len(values) != len(header):
            result.errors.append(
                RowProblem(
                    name,
                    line,
                    _("verkeerd aantal velden: %(found)s in plaats van %(expected)s")
                    % {"found": len(values), "expected": len(header)},
                )
            )
            continue

        def get(column: str, values=values) -> str:
            position = index.get(column)
            return values[position].strip() if position is not None else ""

        if kind == BoardFileKind.DERIVED_LIST and get("HERKOMST") != DERIVED_CURRENT:
            result.older_names += 1
            continue
        problems: list[str] = []
        number_column, name_column, kvk_column = (
            ("BEVOEGD GEZAG NUMMER", "BEVOEGD GEZAG NAAM", "KVK-NUMMER")
            if kind == BoardFileKind.DUO_BOARDS
            else ("BEVOEGD_GEZAG", "NAAM", "KVK")
        )
        number = get(number_column)
        if not BOARD_RE.match(number) or int(number) == 0:
            problems.append(_("ongeldig bevoegd-gezagnummer '%(value)s'") % {"value": number})
        else:
            number = number.zfill(5)
        board_name = get(name_column)
        if not board_name:
            problems.append(_("%(column)s is leeg") % {"column": name_column})
        elif len(board_name) > NAME_MAX_LENGTH:
            problems.append(
                _("%(column)s is te lang (meer dan %(max)s tekens)") % {"column": name_column, "max": NAME_MAX_LENGTH}
            )
        kvk = get(kvk_column)
        if kvk and not KVK_RE.match(kvk):
            problems.append(_("ongeldig KvK-nummer '%(value)s'") % {"value": kvk})
        postcode = get("POSTCODE").upper()
        if postcode:
            match = POSTCODE_RE.match(postcode)
            if match:
                postcode = f"{match.group(1)} {match.group(2)}"
            else:
                problems.append(_("ongeldige postcode '%(value)s'") % {"value": postcode})
        street = " ".join(part for part in (get("STRAATNAAM"), get("HUISNUMMER-TOEVOEGING")) if part)
        place = get("PLAATSNAAM")
        if len(street) > STREET_MAX_LENGTH or len(place) > PLACE_MAX_LENGTH:
            problems.append(_("adres is te lang"))
        if not problems and number in seen:
            problems.append(
                _("bevoegd gezag %(number)s staat ook op regel %(line)s") % {"number": number, "line": seen[number]}
            )
        if problems:
            result.errors.append(RowProblem(name, line, "; ".join(problems)))
            continue
        seen[number] = line
        result.boards.append(
            BoardRecord(
                board_number=number,
                name=board_name,
                kind=kind,
                source_detail=detail[:200],
                kvk_number=kvk.zfill(8) if kvk else "",
                street=street,
                postcode=postcode,
                place=place,
                file=name,
                line=line,
            )
        )
    return result


def merge_boards(files: Iterable[ParsedBoardFile]) -> dict[str, BoardRecord]:
    """One record per board: a DUO file's name wins over the derived list's, a later file over an earlier one."""
    boards: dict[str, BoardRecord] = {}
    for parsed in files:
        for record in parsed.boards:
            current = boards.get(record.board_number)
            if current is not None and current.kind == BoardFileKind.DUO_BOARDS and record.kind != current.kind:
                # DUO's name stands; the derived list may still add a KvK number DUO left empty.
                current.kvk_number = current.kvk_number or record.kvk_number
                continue
            if current is not None and not record.kvk_number:
                record.kvk_number = current.kvk_number
            boards[record.board_number] = record
    return boards
