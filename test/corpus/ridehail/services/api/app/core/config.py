"""Small helpers for reading configuration outside of settings.py."""
import os
from functools import lru_cache
from typing import Optional


def get_env(name: str, default: Optional[str] = None) -> Optional[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


@lru_cache
def service_name() -> str:
    # Cloud Run sets K_SERVICE; fall back for local runs.
    return os.environ.get("K_SERVICE", "api-local")


def revision() -> str:
    return os.getenv("K_REVISION", "dev")


def port() -> int:
    return int(os.environ["PORT"])
