"""Trip lifecycle. LegacyTripState is what the v1 mobile clients still send."""
from enum import Enum


class TripStatus(Enum):
    REQUESTED = "requested"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class LegacyTripState(Enum):
    REQUESTED = "REQUESTED"
    ASSIGNED = "ASSIGNED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class TripTracker:
    def __init__(self, legacy_state: LegacyTripState) -> None:
        self._legacy = legacy_state

    @property
    def status(self) -> TripStatus:
        return self._legacy

    @property
    def legacy_state(self) -> LegacyTripState:
        return self._legacy
