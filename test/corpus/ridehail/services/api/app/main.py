import logging

from fastapi import FastAPI

from app import settings
from app.core.config import get_env, service_name
from app.routers import health, rides

logging.basicConfig(level=settings.LOG_LEVEL.upper())

app = FastAPI(title="ridehail-api", debug=settings.DEBUG)
app.include_router(health.router)
app.include_router(rides.router, prefix="/v1")

SENTRY_DSN = get_env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(dsn=SENTRY_DSN, environment=settings.ENVIRONMENT, server_name=service_name())

if settings.DEBUG:
    import os

    # Local-only: expose the SQL echo toggle.
    SQL_ECHO = os.environ["SQL_ECHO"]
