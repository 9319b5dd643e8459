import os

import pytest

from app.models.payout import Payout, PayoutKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("PAYOUT_API_KEY", "test")
    return os.environ["PAYOUT_API_KEY"]


def test_payout_defaults(api_key):
    item = Payout()
    assert item.kind == PayoutKind.STANDARD
    assert not item.is_premium()


def test_payout_roundtrip():
    assert Payout(kind=PayoutKind.PREMIUM).to_dict()["kind"] == "premium"
