from hypothesis import given
from hypothesis import strategies as st

from onderwijsregio.organisations.geo import haversine_km

latitudes = st.floats(min_value=50.7, max_value=53.6, allow_nan=False)
longitudes = st.floats(min_value=3.3, max_value=7.3, allow_nan=False)


def test_known_distance_amersfoort_utrecht():
    # Amersfoort centre (PC4 3811) to Utrecht centre (PC4 3511): about 20 km as the crow flies.
    assert 19 < haversine_km(52.1561, 5.3878, 52.0907, 5.1214) < 21


@given(latitudes, longitudes, latitudes, longitudes)
def test_distance_is_symmetric_non_negative_and_zero_on_itself(lat1, lon1, lat2, lon2):
    d = haversine_km(lat1, lon1, lat2, lon2)
    assert d >= 0
    assert abs(d - haversine_km(lat2, lon2, lat1, lon1)) < 1e-9
    assert haversine_km(lat1, lon1, lat1, lon1) == 0


@given(latitudes, longitudes, latitudes, longitudes, latitudes, longitudes)
def test_triangle_inequality(lat1, lon1, lat2, lon2, lat3, lon3):
    direct = haversine_km(lat1, lon1, lat3, lon3)
    via = haversine_km(lat1, lon1, lat2, lon2) + haversine_km(lat2, lon2, lat3, lon3)
    assert direct <= via + 1e-6
