import os

import pytest

from app.models.driver import Driver, DriverKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("DRIVER_API_KEY", "test")
    return os.environ["DRIVER_API_KEY"]


def test_driver_defaults(api_key):
    item = Driver()
    assert item.kind == DriverKind.STANDARD
    assert not item.is_premium()


def test_driver_roundtrip():
    assert Driver(kind=DriverKind.PREMIUM).to_dict()["kind"] == "premium"
