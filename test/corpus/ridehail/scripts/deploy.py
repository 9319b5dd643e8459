#!/usr/bin/env python3
"""Deploy the Python services that are not described by Knative YAML (dispatch, worker).

    python scripts/deploy.py --env staging
    python scripts/deploy.py --env production --only dispatch

Uses --update-env-vars so values set by hand in the console (feature flags) survive a deploy.
"""
import argparse
import shlex
import subprocess
import sys

REGION = "europe-west1"

PROJECTS = {
    "staging": "ridehail-staging",
    "production": "ridehail-prod",
}

SERVICES = {
    "dispatch": {
        "source": "services/dispatch",
        "env": {
            "staging": {
                "ENVIRONMENT": "staging",
                "ALLOWED_HOSTS": "dispatch-staging.ridehail.example",
                "DATABASE_URL": "postgres://dispatch@/dispatch?host=/cloudsql/ridehail-staging:europe-west1:main",
                "GOOGLE_OAUTH_CLIENT_ID_STAGING": "555071234-dispatchstaging.apps.googleusercontent.com",
            },
            "production": {
                "ENVIRONMENT": "production",
                "ALLOWED_HOSTS": "dispatch.ridehail.example",
                "DATABASE_URL": "postgres://dispatch@/dispatch?host=/cloudsql/ridehail-prod:europe-west1:main&sslmode=require",
                "GOOGLE_OAUTH_CLIENT_ID_PRODUCTION": "555101234-dispatchprod.apps.googleusercontent.com",
            },
        },
        "secrets": {
            "staging": {
                "DJANGO_SECRET_KEY": "django-secret-key-staging:latest",
                "GOOGLE_OAUTH_CLIENT_SECRET_STAGING": "google-oauth-client-secret-staging:latest",
            },
            "production": {
                "DJANGO_SECRET_KEY": "django-secret-key-production:latest",
                "GOOGLE_OAUTH_CLIENT_SECRET_PRODUCTION": "google-oauth-client-secret-production:latest",
            },
        },
    },
    "worker": {
        "source": "services/worker",
        "env": {
            "staging": {
                "CELERY_BROKER_URL": "redis://10.8.0.12:6379/1",
                "DATABASE_URL": "postgresql://worker@10.8.0.3:5432/rides?sslmode=require",
            },
            "production": {
                "CELERY_BROKER_URL": "redis://10.9.0.12:6379/1",
                "DATABASE_URL": "postgresql://worker@10.9.0.3:5432/rides?sslmode=verify-full",
            },
        },
        "secrets": {
            "staging": {"ROUTING_API_KEY": "routing-api-key:latest"},
            "production": {"ROUTING_API_KEY": "routing-api-key:latest"},
        },
    },
}


def build_command(name: str, spec: dict, env: str) -> list[str]:
    env_vars = spec["env"][env]
    secrets = spec["secrets"][env]
    return [
        "gcloud", "run", "deploy", f"{name}-{env}",
        "--source", spec["source"],
        "--project", PROJECTS[env],
        "--region", REGION,
        "--update-env-vars", ",".join(f"{k}={v}" for k, v in env_vars.items()),
        "--update-secrets", ",".join(f"{k}={v}" for k, v in secrets.items()),
        "--quiet",
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--env", choices=sorted(PROJECTS), required=True)
    parser.add_argument("--only", choices=sorted(SERVICES))
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    for name, spec in SERVICES.items():
        if args.only and name != args.only:
            continue
        cmd = build_command(name, spec, args.env)
        print("+", shlex.join(cmd))
        if not args.dry_run:
            subprocess.run(cmd, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
