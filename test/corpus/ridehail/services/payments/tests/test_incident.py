import os

import pytest

from payments.models.incident import Incident, IncidentKind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("INCIDENT_API_KEY", "test")
    return os.environ["INCIDENT_API_KEY"]


def test_incident_defaults(api_key):
    item = Incident()
    assert item.kind == IncidentKind.STANDARD
    assert not item.is_premium()


def test_incident_roundtrip():
    assert Incident(kind=IncidentKind.PREMIUM).to_dict()["kind"] == "premium"
