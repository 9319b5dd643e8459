"""Payout persistence model."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum


class PayoutKind(str, Enum):
    STANDARD = "standard"
    PREMIUM = "premium"
    LEGACY = "legacy"


@dataclass
class Payout:
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    kind: PayoutKind = PayoutKind.STANDARD
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    environment: str = "default"  # tenant environment label, unrelated to deploys

    def is_premium(self) -> bool:
        return self.kind == PayoutKind.PREMIUM

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind.value, "created_at": self.created_at.isoformat()}
