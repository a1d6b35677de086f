import pytest
from django.core.exceptions import ValidationError

from onderwijsregio.organisations.models import SubRegion
from onderwijsregio.organisations.services import subregion_create

from .factories import MunicipalityFactory, RegionFactory


@pytest.mark.django_db
def test_a_municipality_belongs_to_one_subregion_of_a_region():
    region = RegionFactory()
    amersfoort, leusden = MunicipalityFactory(name="Amersfoort"), MunicipalityFactory(name="Leusden")
    subregion_create(region=region, name="Eemland", municipalities=[amersfoort], actor=None)
    with pytest.raises(ValidationError) as excinfo:
        subregion_create(region=region, name="Oost", municipalities=[leusden, amersfoort], actor=None)
    assert "Amersfoort (Eemland)" in str(excinfo.value)
    assert not SubRegion.objects.filter(name="Oost").exists()
    # Another region may group the same municipality its own way.
    subregion_create(region=RegionFactory(), name="Eemland", municipalities=[amersfoort], actor=None)
