#!/usr/bin/env bash
# Open a psql session through the Cloud SQL proxy (needs cloud-sql-proxy on PATH).
set -euo pipefail
ENV="${1:-staging}"
cloud-sql-proxy "ridehail-$ENV:europe-west1:main" --port 6543 &
trap 'kill %1' EXIT
sleep 2
psql "postgresql://$USER@127.0.0.1:6543/rides?sslmode=disable"
