from enum import Enum

from fastapi import APIRouter

router = APIRouter()


class DependencyStatus(str, Enum):
    UP = "up"
    DEGRADED = "degraded"
    DOWN = "down"


class Probe:
    def __init__(self) -> None:
        self._status = DependencyStatus.UP

    @property
    def status(self) -> DependencyStatus:
        return self._status


_db_probe = Probe()


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    ok = _db_probe.status == DependencyStatus.UP
    return {"status": "ok" if ok else "degraded"}
