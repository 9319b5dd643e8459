"""Google sign-in for riders. Client credentials are per environment."""
import os

from app import settings


def oauth_client() -> tuple[str, str]:
    if settings.ENVIRONMENT == "production":
        return (
            os.environ["GOOGLE_OAUTH_CLIENT_ID_PRODUCTION"],
            os.environ["GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION"],
        )
    if settings.ENVIRONMENT == "staging":
        return (
            os.environ["GOOGLE_OAUTH_CLIENT_ID_STAGING"],
            os.environ["GOOGLE_OAUTH_CLIENT_SECRET_STAGING"],
        )
    return (
        os.environ.get("GOOGLE_OAUTH_CLIENT_ID_STAGING", "local-client"),
        os.environ.get("GOOGLE_OAUTH_CLIENT_SECRET_STAGING", "local-secret"),
    )
