import os

import pytest

from app.models.quote import Quote, QuoteKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("QUOTE_API_KEY", "test")
    return os.environ["QUOTE_API_KEY"]


def test_quote_defaults(api_key):
    item = Quote()
    assert item.kind == QuoteKind.STANDARD
    assert not item.is_premium()


def test_quote_roundtrip():
    assert Quote(kind=QuoteKind.PREMIUM).to_dict()["kind"] == "premium"
