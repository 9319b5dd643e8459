"""Netra backend API entry point."""
from __future__ import annotations

import logging
import os
from contextlib import asynccontextmanager
from typing import AsyncIterator

import uvicorn
from fastapi import FastAPI

from app.auth.oauth import router as oauth_router
from app.config.secrets import SecretManager
from app.db import engine
from app.resilience.health import router as health_router

logging.basicConfig(
    level=os.environ.get("LOG_LEVEL", "info").upper(),
    format="%(asctime)s %(levelname)s %(name)s %(message)s",
)
logger = logging.getLogger("netra.backend")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.secrets = SecretManager()
    if not app.state.secrets.service_secret:
        logger.error("SERVICE_SECRET is not configured; service-to-service calls will fail")
    yield
    await engine.dispose()


app = FastAPI(title="Netra API", lifespan=lifespan)
app.include_router(health_router)
app.include_router(oauth_router, prefix="/auth")


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=int(os.environ.get("PORT", "8080")))
