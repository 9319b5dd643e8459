import os

import pytest

from app.models.wallet import Wallet, WalletKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("WALLET_API_KEY", "test")
    return os.environ["WALLET_API_KEY"]


def test_wallet_defaults(api_key):
    item = Wallet()
    assert item.kind == WalletKind.STANDARD
    assert not item.is_premium()


def test_wallet_roundtrip():
    assert Wallet(kind=WalletKind.PREMIUM).to_dict()["kind"] == "premium"
