import os

import pytest

from app.models.trip import Trip, TripKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("TRIP_API_KEY", "test")
    return os.environ["TRIP_API_KEY"]


def test_trip_defaults(api_key):
    item = Trip()
    assert item.kind == TripKind.STANDARD
    assert not item.is_premium()


def test_trip_roundtrip():
    assert Trip(kind=TripKind.PREMIUM).to_dict()["kind"] == "premium"
