import os

import pytest

from payments.models.zone import Zone, ZoneKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("ZONE_API_KEY", "test")
    return os.environ["ZONE_API_KEY"]


def test_zone_defaults(api_key):
    item = Zone()
    assert item.kind == ZoneKind.STANDARD
    assert not item.is_premium()


def test_zone_roundtrip():
    assert Zone(kind=ZoneKind.PREMIUM).to_dict()["kind"] == "premium"
