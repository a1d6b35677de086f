"""Reference data import: labour-market regions, municipalities and PC4 centroids from data/geo/."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from onderwijsregio.organisations.models import LabourMarketRegion, Municipality, PostcodeArea
from onderwijsregio.organisations.services import area_municipality_codes, reference_import

pytestmark = pytest.mark.django_db

GEO = Path(settings.DATA_DIR) / "geo"


def test_reference_import_loads_everything_and_is_idempotent():
    first = reference_import()
    assert first["labour_market_regions"]["created"] == 35
    assert first["municipalities"]["created"] == 342
    snapshot = sorted(
        Municipality.objects.values_list("cbs_code", "name", "labour_market_region__code", "latitude", "longitude")
    )
    out = StringIO()
    call_command("import_reference", stdout=out)
    assert "342 ongewijzigd" in out.getvalue()
    assert (
        sorted(
            Municipality.objects.values_list("cbs_code", "name", "labour_market_region__code", "latitude", "longitude")
        )
        == snapshot
    )
    amersfoort = Municipality.objects.get(cbs_code="0307")
    assert (amersfoort.name, amersfoort.labour_market_region.code) == ("Amersfoort", "AM14")
    assert LabourMarketRegion.objects.get(code="AM14").name == "Amersfoort"


def test_postcode_centroid_is_the_mean_of_its_rows_and_municipality_only_when_known():
    reference_import()
    with (GEO / "geonames_nl_postcode4_centroids.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert PostcodeArea.objects.count() == len({row["pc4"] for row in rows})
    by_pc4: dict[str, list[dict]] = {}
    for row in rows:
        by_pc4.setdefault(row["pc4"], []).append(row)
    duplicated = next(pc4 for pc4, group in sorted(by_pc4.items()) if len(group) > 1)
    group = by_pc4[duplicated]
    area = PostcodeArea.objects.get(pc4=duplicated)
    assert area.latitude == pytest.approx(sum(float(r["latitude"]) for r in group) / len(group), abs=1e-4)
    assert area.longitude == pytest.approx(sum(float(r["longitude"]) for r in group) / len(group), abs=1e-4)
    # Voorne aan Zee's rows carry no gemeente in GeoNames: no municipality rather than a guess.
    assert PostcodeArea.objects.get(pc4="3221").municipality is None
    assert PostcodeArea.objects.get(pc4="3811").municipality.cbs_code == "0307"


def test_area_from_labour_market_regions_and_municipalities():
    reference_import()
    am14 = area_municipality_codes(labour_market_regions=["am14"])
    assert am14 == {"0267", "0307", "0308", "0313", "0327", "0342", "0351"}
    assert area_municipality_codes(municipality_codes=["344"], labour_market_regions=["AM14"]) == am14 | {"0344"}
    assert area_municipality_codes() is None
    with pytest.raises(Exception, match="AM99"):
        area_municipality_codes(labour_market_regions=["AM99"])


def test_slo_subjects_are_imported_with_unique_codes_and_where_taught():
    from onderwijsregio.organisations.models import Subject

    first = reference_import()
    assert first["subjects"]["created"] == 95
    maths = Subject.objects.get(code="wi")  # SLO links Wiskunde to vmbo levels only; wisA-D cover havo/vwo
    assert maths.name == "Wiskunde" and maths.in_vmbo and not maths.in_po
    # SLO gives "it" to two subjects; both exist, each under its own code.
    assert set(Subject.objects.filter(code__startswith="it").values_list("name", flat=True)) == {
        "Informatietechnologie",
        "Italiaans",
    }
    again = reference_import()
    assert again["subjects"] == {"created": 0, "updated": 0, "unchanged": 95}
