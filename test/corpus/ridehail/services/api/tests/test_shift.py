import os

import pytest

from app.models.shift import Shift, ShiftKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("SHIFT_API_KEY", "test")
    return os.environ["SHIFT_API_KEY"]


def test_shift_defaults(api_key):
    item = Shift()
    assert item.kind == ShiftKind.STANDARD
    assert not item.is_premium()


def test_shift_roundtrip():
    assert Shift(kind=ShiftKind.PREMIUM).to_dict()["kind"] == "premium"
