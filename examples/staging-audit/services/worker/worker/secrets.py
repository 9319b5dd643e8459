"""Optional secrets for the worker, read from Secret Manager when running on GCP.

Required settings (DATABASE_URL) are wired by the deploy as env vars or secret refs;
this module is only for extras such as the alert webhook.
"""
from __future__ import annotations

import logging
import os
from typing import Optional

import requests

logger = logging.getLogger(__name__)

_METADATA_PROJECT = "http://metadata.google.internal/computeMetadata/v1/project/project-id"


def _running_on_gcp() -> bool:
    # Don't key this off GCP_PROJECT_ID alone: Cloud Run does not set it, and a deploy that
    # forgets it would silently skip Secret Manager.
    is_cloud_env = os.environ.get("ENVIRONMENT", "development") in ("staging", "production")
    has_gcp_creds = (
        "GCP_PROJECT_ID" in os.environ
        or "GOOGLE_APPLICATION_CREDENTIALS" in os.environ
        or "K_SERVICE" in os.environ  # Cloud Run service
        or "CLOUD_RUN_JOB" in os.environ  # Cloud Run job
    )
    return is_cloud_env or has_gcp_creds


def _project_id() -> str:
    project = os.environ.get("GCP_PROJECT_ID")
    if project:
        return project
    response = requests.get(_METADATA_PROJECT, headers={"Metadata-Flavor": "Google"}, timeout=2)
    response.raise_for_status()
    return response.text


def get_secret(secret_id: str, env_var: str) -> Optional[str]:
    """The env var if set, else ``secret_id`` from Secret Manager on GCP, else None."""
    value = os.environ.get(env_var)
    if value or not _running_on_gcp():
        return value
    from google.cloud import secretmanager

    client = secretmanager.SecretManagerServiceClient()
    name = f"projects/{_project_id()}/secrets/{secret_id}/versions/latest"
    try:
        return client.access_secret_version(request={"name": name}).payload.data.decode("utf-8")
    except Exception:
        logger.warning("secret %s not available", secret_id, exc_info=True)
        return None
