#!/usr/bin/env bash
# The worker is a Cloud Run job deployed by hand; its settings live in a YAML file.
set -euo pipefail

gcloud run jobs deploy worker-prod \
  --source services/worker \
  --region europe-west1 \
  --project shopfront-prod \
  --env-vars-file deploy/worker.prod.yaml
