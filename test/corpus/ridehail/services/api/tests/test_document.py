import os

import pytest

from app.models.document import Document, DocumentKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("DOCUMENT_API_KEY", "test")
    return os.environ["DOCUMENT_API_KEY"]


def test_document_defaults(api_key):
    item = Document()
    assert item.kind == DocumentKind.STANDARD
    assert not item.is_premium()


def test_document_roundtrip():
    assert Document(kind=DocumentKind.PREMIUM).to_dict()["kind"] == "premium"
