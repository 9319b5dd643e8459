"""Surge persistence model."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum


class SurgeKind(str, Enum):
    STANDARD = "standard"
    PREMIUM = "premium"
    POOL = "pool"


@dataclass
class Surge:
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    kind: SurgeKind = SurgeKind.STANDARD
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    environment: str = "default"  # tenant environment label, unrelated to deploys

    def is_premium(self) -> bool:
        return self.kind == SurgeKind.PREMIUM

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind.value, "created_at": self.created_at.isoformat()}
