import os

import pytest

from app.models.invoice import Invoice, InvoiceKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("INVOICE_API_KEY", "test")
    return os.environ["INVOICE_API_KEY"]


def test_invoice_defaults(api_key):
    item = Invoice()
    assert item.kind == InvoiceKind.STANDARD
    assert not item.is_premium()


def test_invoice_roundtrip():
    assert Invoice(kind=InvoiceKind.PREMIUM).to_dict()["kind"] == "premium"
