import os

import pytest

from app.models.fare import Fare, FareKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("FARE_API_KEY", "test")
    return os.environ["FARE_API_KEY"]


def test_fare_defaults(api_key):
    item = Fare()
    assert item.kind == FareKind.STANDARD
    assert not item.is_premium()


def test_fare_roundtrip():
    assert Fare(kind=FareKind.PREMIUM).to_dict()["kind"] == "premium"
