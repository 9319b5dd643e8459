"""Database engine and session factory (SQLAlchemy 2.0, asyncpg)."""
from __future__ import annotations

import os
from typing import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine


def _asyncpg_url(url: str) -> str:
    # Secret Manager and the Cloud SQL docs hand out plain postgresql:// URLs; the async
    # engine needs the driver spelled out.
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://"):]
    return url


engine = create_async_engine(
    _asyncpg_url(os.environ["DATABASE_URL"]),
    pool_size=5,
    max_overflow=5,
    pool_pre_ping=True,
)

SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    """FastAPI dependency: one session per request."""
    async with SessionLocal() as session:
        yield session
