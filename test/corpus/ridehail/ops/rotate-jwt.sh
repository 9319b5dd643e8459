#!/usr/bin/env bash
# Rotate the shared JWT secret for one environment. Every service reads jwt-secret-$ENV.
set -euo pipefail
ENV="${1:?usage: rotate-jwt.sh staging|production}"
openssl rand -base64 48 | tr -d '\n' | gcloud secrets versions add "jwt-secret-$ENV" --data-file=- --project "ridehail-$ENV"
