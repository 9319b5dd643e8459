import os

import pytest

os.environ.setdefault("JWT_SECRET", "test-secret")


@pytest.fixture(scope="session")
def database_url() -> str:
    return os.environ["TEST_DATABASE_URL"]
