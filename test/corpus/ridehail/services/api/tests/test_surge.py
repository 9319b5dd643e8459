import os

import pytest

from app.models.surge import Surge, SurgeKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("SURGE_API_KEY", "test")
    return os.environ["SURGE_API_KEY"]


def test_surge_defaults(api_key):
    item = Surge()
    assert item.kind == SurgeKind.STANDARD
    assert not item.is_premium()


def test_surge_roundtrip():
    assert Surge(kind=SurgeKind.PREMIUM).to_dict()["kind"] == "premium"
