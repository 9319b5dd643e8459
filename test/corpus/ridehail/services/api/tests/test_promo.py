import os

import pytest

from app.models.promo import Promo, PromoKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("PROMO_API_KEY", "test")
    return os.environ["PROMO_API_KEY"]


def test_promo_defaults(api_key):
    item = Promo()
    assert item.kind == PromoKind.STANDARD
    assert not item.is_premium()


def test_promo_roundtrip():
    assert Promo(kind=PromoKind.PREMIUM).to_dict()["kind"] == "premium"
