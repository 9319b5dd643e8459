import os

import pytest

from app.models.dispute import Dispute, DisputeKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("DISPUTE_API_KEY", "test")
    return os.environ["DISPUTE_API_KEY"]


def test_dispute_defaults(api_key):
    item = Dispute()
    assert item.kind == DisputeKind.STANDARD
    assert not item.is_premium()


def test_dispute_roundtrip():
    assert Dispute(kind=DisputeKind.PREMIUM).to_dict()["kind"] == "premium"
