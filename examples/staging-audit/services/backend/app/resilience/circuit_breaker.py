"""Circuit breaker shared by outbound calls (Postgres, Redis, LLM providers).

``UnifiedCircuitBreaker`` replaced the per-client breakers. Its state machine has an extra
ISOLATED state (tripped by hand during incidents); code outside this module, dashboards and
the integration tests still speak the legacy ``CircuitState``.
"""
from __future__ import annotations

import time
from enum import Enum
from typing import Optional


class CircuitState(Enum):
    """Public breaker state, kept for existing callers."""
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class UnifiedCircuitBreakerState(Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"
    ISOLATED = "isolated"


class UnifiedCircuitBreaker:
    def __init__(self, name: str, failure_threshold: int = 5, recovery_timeout: float = 30.0) -> None:
        self.name = name
        self.failure_threshold = failure_threshold
        self.recovery_timeout = recovery_timeout
        self._state = UnifiedCircuitBreakerState.CLOSED
        self._failures = 0
        self._opened_at: Optional[float] = None

    @property
    def state(self) -> CircuitState:
        return self._state

    def allow_request(self) -> bool:
        if self._state is UnifiedCircuitBreakerState.OPEN and self._opened_at is not None:
            if time.monotonic() - self._opened_at >= self.recovery_timeout:
                self._state = UnifiedCircuitBreakerState.HALF_OPEN
        return self._state in (UnifiedCircuitBreakerState.CLOSED, UnifiedCircuitBreakerState.HALF_OPEN)

    def record_success(self) -> None:
        self._failures = 0
        self._state = UnifiedCircuitBreakerState.CLOSED

    def record_failure(self) -> None:
        self._failures += 1
        if self._failures >= self.failure_threshold:
            self._state = UnifiedCircuitBreakerState.OPEN
            self._opened_at = time.monotonic()

    def isolate(self) -> None:
        """Stop all traffic to this dependency until an operator resets it."""
        self._state = UnifiedCircuitBreakerState.ISOLATED
