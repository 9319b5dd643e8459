"""A thin wrapper around ``os.environ``.

Everything in the backend reads configuration through ``get_env()`` so that values loaded
at startup (from Secret Manager) and values from the process environment look the same to
callers, and so tests can override settings without mutating ``os.environ``.
"""
from __future__ import annotations

import os
from threading import Lock
from typing import Dict, Optional


class EnvironmentWrapper:
    def __init__(self) -> None:
        self._overrides: Dict[str, str] = {}
        self._lock = Lock()

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """Return an override if one was set, else the process environment, else ``default``."""
        with self._lock:
            if name in self._overrides:
                return self._overrides[name]
        return os.environ.get(name, default)

    def set(self, name: str, value: str) -> None:
        with self._lock:
            self._overrides[name] = value

    def clear_overrides(self) -> None:
        with self._lock:
            self._overrides.clear()


_env: Optional[EnvironmentWrapper] = None


def get_env() -> EnvironmentWrapper:
    """Process-wide wrapper instance."""
    global _env
    if _env is None:
        _env = EnvironmentWrapper()
    return _env
