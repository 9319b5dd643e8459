import os

import pytest

from payments.models.receipt import Receipt, ReceiptKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("RECEIPT_API_KEY", "test")
    return os.environ["RECEIPT_API_KEY"]


def test_receipt_defaults(api_key):
    item = Receipt()
    assert item.kind == ReceiptKind.STANDARD
    assert not item.is_premium()


def test_receipt_roundtrip():
    assert Receipt(kind=ReceiptKind.PREMIUM).to_dict()["kind"] == "premium"
