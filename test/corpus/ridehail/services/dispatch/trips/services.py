from trips.states import LegacyTripState, TripStatus, TripTracker


def can_cancel(tracker: TripTracker) -> bool:
    return tracker.status in (TripStatus.REQUESTED, TripStatus.ASSIGNED)


def is_done(tracker: TripTracker) -> bool:
    return tracker.status == TripStatus.COMPLETED


def legacy_done(tracker: TripTracker) -> bool:
    return tracker.legacy_state == LegacyTripState.COMPLETED
