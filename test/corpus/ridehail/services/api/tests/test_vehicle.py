import os

import pytest

from app.models.vehicle import Vehicle, VehicleKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("VEHICLE_API_KEY", "test")
    return os.environ["VEHICLE_API_KEY"]


def test_vehicle_defaults(api_key):
    item = Vehicle()
    assert item.kind == VehicleKind.STANDARD
    assert not item.is_premium()


def test_vehicle_roundtrip():
    assert Vehicle(kind=VehicleKind.PREMIUM).to_dict()["kind"] == "premium"
