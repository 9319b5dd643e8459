import os

import pytest

from app.models.rating import Rating, RatingKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("RATING_API_KEY", "test")
    return os.environ["RATING_API_KEY"]


def test_rating_defaults(api_key):
    item = Rating()
    assert item.kind == RatingKind.STANDARD
    assert not item.is_premium()


def test_rating_roundtrip():
    assert Rating(kind=RatingKind.PREMIUM).to_dict()["kind"] == "premium"
