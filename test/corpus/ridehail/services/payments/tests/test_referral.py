import os

import pytest

from payments.models.referral import Referral, ReferralKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("REFERRAL_API_KEY", "test")
    return os.environ["REFERRAL_API_KEY"]


def test_referral_defaults(api_key):
    item = Referral()
    assert item.kind == ReferralKind.STANDARD
    assert not item.is_premium()


def test_referral_roundtrip():
    assert Referral(kind=ReferralKind.PREMIUM).to_dict()["kind"] == "premium"
