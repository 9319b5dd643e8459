import os

import pytest

from payments.models.geofence import Geofence, GeofenceKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("GEOFENCE_API_KEY", "test")
    return os.environ["GEOFENCE_API_KEY"]


def test_geofence_defaults(api_key):
    item = Geofence()
    assert item.kind == GeofenceKind.STANDARD
    assert not item.is_premium()


def test_geofence_roundtrip():
    assert Geofence(kind=GeofenceKind.PREMIUM).to_dict()["kind"] == "premium"
