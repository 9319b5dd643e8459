"""Environment access for dispatch. Everything goes through get_env so tests can patch one place."""
import os

_MISSING = object()


def get_env(name, default=_MISSING):
    try:
        return os.environ[name]
    except KeyError:
        if default is _MISSING:
            raise RuntimeError(f"{name} is not set")
        return default
