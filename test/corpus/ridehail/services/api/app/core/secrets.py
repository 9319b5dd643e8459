"""Load optional secrets from Secret Manager when running on Google Cloud."""
import logging
import os

logger = logging.getLogger(__name__)

_cache: dict[str, str] = {}


def _on_gcp() -> bool:
    # Cloud Run always sets K_SERVICE; GCP_PROJECT_ID / GOOGLE_CLOUD_PROJECT are set by some deploys.
    return bool(
        os.environ.get("K_SERVICE")
        or os.environ.get("GCP_PROJECT_ID")
        or os.environ.get("GOOGLE_CLOUD_PROJECT")
    )


def load_secret(name: str) -> str | None:
    if name in _cache:
        return _cache[name]
    if not _on_gcp():
        logger.debug("not on GCP; secret %s comes from the environment", name)
        return os.environ.get(name.upper().replace("-", "_"))
    from google.cloud import secretmanager

    project = os.environ.get("GCP_PROJECT_ID") or os.environ.get("GOOGLE_CLOUD_PROJECT")
    client = secretmanager.SecretManagerServiceClient()
    resp = client.access_secret_version(name=f"projects/{project}/secrets/{name}/versions/latest")
    _cache[name] = resp.payload.data.decode()
    return _cache[name]
