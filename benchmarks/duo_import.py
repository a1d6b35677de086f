"""Throughput of the DUO import on the full national files shipped in data/duo.

Baseline, in the same process and run: the naive importer many projects start with, one
`update_or_create` per location and per pupil count, on a sample of the same rows (the full
national set would take minutes that way). Both are reported per pupil-count row.

    python benchmarks/duo_import.py [--quick]
"""

from __future__ import annotations

import argparse
import time

from _setup import ROOT, emit, setup_django

DUO_DIR = ROOT / "data" / "duo"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="VO files only, smaller baseline sample")
    args = parser.parse_args()
    setup_django()

    from onderwijsregio.organisations.importers.duo import parse_count
    from onderwijsregio.organisations.models import Municipality, Organisation, PupilCount, SchoolLocation
    from onderwijsregio.organisations.services import duo_import, reference_import

    reference_import()
    files = sorted(DUO_DIR.glob("duo_vo_*.csv" if args.quick else "duo_*.csv"))

    start = time.perf_counter()
    duo_import(paths=files, actor=None)
    ours_seconds = time.perf_counter() - start
    count_rows = PupilCount.objects.count()

    # The naive baseline: row by row through the ORM, on a sample of the VO pupils file.
    import csv

    sample_size = 200 if args.quick else 500
    vo_pupils = next(DUO_DIR.glob("duo_vo_03_leerlingen_*.csv"))
    with vo_pupils.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))[:sample_size]
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
    start = time.perf_counter()
    for row in rows:
        board, _ = Organisation.objects.update_or_create(
            kind=Organisation.Kind.BOARD,
            duo_number=row["BEVOEGD GEZAG NUMMER"],
            defaults={
                "name": f"Bevoegd gezag {row['BEVOEGD GEZAG NUMMER']}",
                "slug": f"bg-{row['BEVOEGD GEZAG NUMMER']}",
            },
        )
        location, _ = SchoolLocation.objects.update_or_create(
            vestiging_code=row["VESTIGINGSCODE"],
            defaults={
                "brin": row["INSTELLINGSCODE"],
                "name": row["INSTELLINGSNAAM VESTIGING"],
                "board": board,
                "sector": "VO",
                "municipality": municipalities[row["GEMEENTENUMMER"].zfill(4)],
            },
        )
        count, small = parse_count(row["AANTAL LEERLINGEN"])
        PupilCount.objects.update_or_create(
            school_location=location, year=2025, defaults={"count": count, "is_small": small}
        )
    baseline_seconds = time.perf_counter() - start

    ours_per_row = ours_seconds / count_rows
    baseline_per_row = baseline_seconds / len(rows)
    emit(
        benchmark="duo_import",
        metric="seconds_per_pupil_count_row",
        ours=round(ours_per_row * 1e6, 2),
        baseline=round(baseline_per_row * 1e6, 2),
        ratio=round(baseline_per_row / ours_per_row, 1),
        unit="µs/row",
        size={
            "files": [f.name for f in files],
            "pupil_count_rows": count_rows,
            "school_locations": SchoolLocation.objects.count(),
            "baseline_sample_rows": len(rows),
        },
        ours_total_seconds=round(ours_seconds, 2),
        baseline_is="row-by-row update_or_create on a sample of the VO pupils file",
    )


if __name__ == "__main__":
    main()
