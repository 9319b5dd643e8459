"""Secret loading.

In staging and production secrets live in GCP Secret Manager under
``<secret-id>-<environment>``; locally they come from ``.env.development``. Secrets loaded
from Secret Manager are stored as overrides on the environment wrapper, so the rest of the
code reads them like any other setting.
"""
from __future__ import annotations

import logging
from typing import Dict, Optional

from app.config.environment import get_env

logger = logging.getLogger(__name__)

# Secret Manager id (without the environment suffix) -> setting it provides.
GCP_SECRETS: Dict[str, str] = {
    "jwt-secret-key": "JWT_SECRET_KEY",
    "service-secret": "SERVICE_SECRET",
}


class SecretManager:
    def __init__(self) -> None:
        self._env = get_env()
        self._environment = (self._env.get("ENVIRONMENT", "development") or "development").lower()
        self._load_from_gcp_secret_manager()

    def _is_gcp_available(self) -> bool:
        return (self._environment in ["staging", "production"] and
                self._env.get("GCP_PROJECT_ID") is not None)

    def _load_from_gcp_secret_manager(self) -> None:
        if not self._is_gcp_available():
            logger.info("GCP Secret Manager not available, using environment variables only")
            return

        from google.cloud import secretmanager

        client = secretmanager.SecretManagerServiceClient()
        project_id = self._env.get("GCP_PROJECT_ID")
        loaded = 0
        for secret_id, setting in GCP_SECRETS.items():
            name = f"projects/{project_id}/secrets/{secret_id}-{self._environment}/versions/latest"
            try:
                response = client.access_secret_version(request={"name": name})
            except Exception:  # one missing secret must not stop startup
                logger.warning("Could not load secret %s", secret_id, exc_info=True)
                continue
            self._env.set(setting, response.payload.data.decode("utf-8"))
            loaded += 1
        logger.info("Loaded %d secrets from GCP", loaded)

    @property
    def service_secret(self) -> Optional[str]:
        """Shared secret for service-to-service calls (auth <-> backend)."""
        return self._env.get("SERVICE_SECRET")

    @property
    def jwt_secret_key(self) -> Optional[str]:
        """HS256 key for access tokens; must match the auth service's."""
        return self._env.get("JWT_SECRET_KEY")
