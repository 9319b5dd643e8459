import os

import pytest

from app.models.rider import Rider, RiderKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("RIDER_API_KEY", "test")
    return os.environ["RIDER_API_KEY"]


def test_rider_defaults(api_key):
    item = Rider()
    assert item.kind == RiderKind.STANDARD
    assert not item.is_premium()


def test_rider_roundtrip():
    assert Rider(kind=RiderKind.PREMIUM).to_dict()["kind"] == "premium"
