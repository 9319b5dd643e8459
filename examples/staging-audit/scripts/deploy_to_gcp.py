#!/usr/bin/env python3
"""Deploy Netra services to Cloud Run (staging).

    python scripts/deploy_to_gcp.py --project netra-staging
    python scripts/deploy_to_gcp.py --service backend

Builds each service from source with Cloud Build (``gcloud run deploy --source``).
Needs an authenticated gcloud and DB_PASSWORD in the environment. The auth service
has its own script: deploy/deploy-auth-staging.sh.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Dict, List


@dataclass
class ServiceConfig:
    name: str
    directory: str
    port: int
    environment_vars: Dict[str, str] = field(default_factory=dict)
    secrets: Dict[str, str] = field(default_factory=dict)


class GCPDeployer:
    def __init__(self, project_id: str = "netra-staging", region: str = "us-central1") -> None:
        self.project_id = project_id
        self.region = region
        self.services: List[ServiceConfig] = [
            ServiceConfig(
                name="backend",
                directory="services/backend",
                port=8080,
                environment_vars={
                    "ENVIRONMENT": "staging",
                    "LOG_LEVEL": "info",
                    "GOOGLE_OAUTH_CLIENT_ID_STAGING": "418206937752-k3v9qd2hj7m1x0c5pq8rl4tse6wn2bfa.apps.googleusercontent.com",
                    "DATABASE_URL": "postgresql+asyncpg://netra:${DB_PASSWORD}@10.20.0.3:5432/netra?sslmode=require",
                },
                secrets={
                    "JWT_SECRET_KEY": "jwt-secret-key-staging:latest",
                    "GOOGLE_OAUTH_CLIENT_SECRET_STAGING": "google-oauth-client-secret-staging:latest",
                },
            ),
        ]

    def deploy_service(self, service: ServiceConfig) -> None:
        print(f"==> deploying {service.name}-staging to {self.project_id} ({self.region})")
        cmd = [
            "gcloud", "run", "deploy", f"{service.name}-staging",
            "--source", service.directory,
            "--project", self.project_id,
            "--region", self.region,
            "--port", str(service.port),
            "--vpc-connector", "netra-staging-connector",
            "--set-env-vars", ",".join(f"{k}={os.path.expandvars(v)}" for k, v in service.environment_vars.items()),
            "--set-secrets", ",".join(f"{k}={v}" for k, v in service.secrets.items()),
            "--allow-unauthenticated", "--quiet",
        ]
        subprocess.run(cmd, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", default="netra-staging")
    parser.add_argument("--region", default="us-central1")
    parser.add_argument("--service", help="deploy only this service")
    args = parser.parse_args()
    if "DB_PASSWORD" not in os.environ:
        parser.error("DB_PASSWORD must be set (the staging database password)")
    deployer = GCPDeployer(project_id=args.project, region=args.region)
    for service in deployer.services:
        if args.service in (None, service.name):
            deployer.deploy_service(service)
    return 0


if __name__ == "__main__":
    sys.exit(main())
