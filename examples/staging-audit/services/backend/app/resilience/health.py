"""Health endpoints used by Cloud Run probes and the uptime checks."""
from __future__ import annotations

from typing import Dict

from fastapi import APIRouter, Response

from app.resilience.circuit_breaker import CircuitState, UnifiedCircuitBreaker

router = APIRouter(prefix="/health")

BREAKERS: Dict[str, UnifiedCircuitBreaker] = {
    "postgres": UnifiedCircuitBreaker("postgres"),
    "llm": UnifiedCircuitBreaker("llm", failure_threshold=3, recovery_timeout=60.0),
}


def is_tripped(breaker: UnifiedCircuitBreaker) -> bool:
    if breaker.state == CircuitState.OPEN:
        return True
    return False


@router.get("/live")
async def live() -> Dict[str, str]:
    return {"status": "ok"}


@router.get("/ready")
async def ready(response: Response) -> Dict[str, str]:
    report = {name: "down" if is_tripped(b) else "up" for name, b in BREAKERS.items()}
    if "down" in report.values():
        response.status_code = 503
    return report
