"""Reading the public reference files shipped in data/geo/, without touching the database.

- gemeenten_2025_arbeidsmarktregio_centroid.csv: municipalities with CBS code, DUO spelling,
  province, labour-market region and an approximate centroid (derived, see its .source.md);
- arbeidsmarktregios_2025.csv: the 35 labour-market regions;
- geonames_nl_postcode4_centroids.csv: GeoNames PC4 centroids (CC BY 4.0). A PC4 spanning
  several places has several rows: its centroid is their mean, and its municipality the one most
  of its rows name (none when GeoNames names none, as for the 20 rows of Voorne aan Zee).

These files are derived and checked once; a malformed one is a packaging error, so problems
raise ReferenceDataError (with file and line) instead of being collected row by row.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify
from django.utils.translation import gettext as _

MUNICIPALITIES_FILE = "gemeenten_2025_arbeidsmarktregio_centroid.csv"
LABOUR_MARKET_REGIONS_FILE = "arbeidsmarktregios_2025.csv"
POSTCODES_FILE = "geonames_nl_postcode4_centroids.csv"
SUBJECTS_FILE = "slo_vakleergebieden_met_niveaus.csv"  # in data/slo/, next to data/geo/


class ReferenceDataError(Exception):
    pass


@dataclass(frozen=True)
class MunicipalityRow:
    cbs_code: str
    name: str
    duo_name: str
    province: str
    labour_market_region: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class PostcodeRow:
    pc4: str
    place_name: str
    municipality_code: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class SubjectRow:
    code: str
    name: str
    slo_id: str
    in_po: bool
    in_vmbo: bool
    in_lower_havo_vwo: bool
    in_upper_havo_vwo: bool
    in_so_vso: bool


@dataclass(frozen=True)
class ReferenceData:
    labour_market_regions: dict[str, str]
    municipalities: list[MunicipalityRow]
    postcodes: list[PostcodeRow]
    subjects: list[SubjectRow]


def _rows(path: Path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, row


def _float(value: str, path: Path, line: int) -> float:
    try:
        return float(value)
    except ValueError:
        raise ReferenceDataError(
            _("%(file)s, regel %(line)s: '%(value)s' is geen getal") % {"file": path.name, "line": line, "value": value}
        )


def read_reference(data_dir: Path) -> ReferenceData:
    geo = Path(data_dir)
    regions: dict[str, str] = {}
    for line, row in _rows(geo / LABOUR_MARKET_REGIONS_FILE):
        code = row["arbeidsmarktregio_code"].strip()
        if not code.startswith("AM"):
            raise ReferenceDataError(
                _("%(file)s, regel %(line)s: ongeldige arbeidsmarktregio '%(code)s'")
                % {"file": LABOUR_MARKET_REGIONS_FILE, "line": line, "code": code}
            )
        regions[code] = row["arbeidsmarktregio_naam"].strip()

    municipalities = []
    path = geo / MUNICIPALITIES_FILE
    for line, row in _rows(path):
        code = row["gemeentecode"].strip().zfill(4)
        region = row["arbeidsmarktregio_code"].strip()
        if region and region not in regions:
            # A region named only in the municipality file still exists.
            regions[region] = row["arbeidsmarktregio_naam"].strip()
        municipalities.append(
            MunicipalityRow(
                cbs_code=code,
                name=row["gemeentenaam"].strip(),
                duo_name=row["gemeentenaam_duo"].strip(),
                province=row["provincie"].strip(),
                labour_market_region=region,
                latitude=_float(row["centroid_lat"], path, line),
                longitude=_float(row["centroid_lon"], path, line),
            )
        )

    path = geo / POSTCODES_FILE
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    places: dict[str, str] = {}
    municipality_votes: dict[str, Counter] = defaultdict(Counter)
    for line, row in _rows(path):
        pc4 = row["pc4"].strip()
        points[pc4].append((_float(row["latitude"], path, line), _float(row["longitude"], path, line)))
        places.setdefault(pc4, row["place_name"].strip())
        code = row["admin_code2_gemeentecode"].strip()
        if code:
            municipality_votes[pc4][code.zfill(4)] += 1
    postcodes = []
    for pc4, coordinates in sorted(points.items()):
        votes = municipality_votes.get(pc4)
        # most_common keeps first-seen order on ties, so the result is stable run to run.
        municipality = votes.most_common(1)[0][0] if votes else ""
        postcodes.append(
            PostcodeRow(
                pc4=pc4,
                place_name=places[pc4][:100],
                municipality_code=municipality,
                latitude=round(sum(lat for lat, _lon in coordinates) / len(coordinates), 5),
                longitude=round(sum(lon for _lat, lon in coordinates) / len(coordinates), 5),
            )
        )
    subjects = []
    path = geo.parent / "slo" / SUBJECTS_FILE
    seen: set[str] = set()
    for line, row in _rows(path):
        name = row["vakleergebied"].strip()
        if not name:
            raise ReferenceDataError(
                _("%(file)s, regel %(line)s: vak zonder naam") % {"file": SUBJECTS_FILE, "line": line}
            )
        # Two SLO subjects have no prefix: they get one from their name.
        code = row["prefix"].strip() or slugify(name)
        if code.lower() in seen:
            # SLO reuses a few prefixes ("it" is both Informatietechnologie and Italiaans): the later
            # one gets its name added, so codes stay unique and stable for the same file.
            code = f"{code}-{slugify(row['vakleergebied'])}"
        seen.add(code.lower())
        subjects.append(
            SubjectRow(
                code=code,
                name=name,
                slo_id=row["id"].strip(),
                in_po=row["in_po"] == "1",
                in_vmbo=row["in_vmbo"] == "1",
                in_lower_havo_vwo=row["in_onderbouw_havo_vwo"] == "1",
                in_upper_havo_vwo=row["in_bovenbouw_havo_vwo"] == "1",
                in_so_vso=row["in_so_vso"] == "1",
            )
        )
    return ReferenceData(
        labour_market_regions=regions, municipalities=municipalities, postcodes=postcodes, subjects=subjects
    )
