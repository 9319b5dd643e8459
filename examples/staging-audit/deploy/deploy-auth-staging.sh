#!/usr/bin/env bash
# Deploy the auth service to Cloud Run (staging), built from source by Cloud Build.
# Usage: deploy/deploy-auth-staging.sh    (run from anywhere; needs gcloud auth)
set -euo pipefail

PROJECT_ID="netra-staging"
REGION="us-central1"

cd "$(dirname "$0")/.."

echo "==> deploying auth-staging to ${PROJECT_ID} (${REGION})"

gcloud run deploy auth-staging \
  --source services/auth \
  --project "$PROJECT_ID" \
  --region "$REGION" \
  --vpc-connector netra-staging-connector \
  --allow-unauthenticated \
  --set-env-vars "ENVIRONMENT=staging,GCP_PROJECT_ID=${PROJECT_ID},GOOGLE_OAUTH_CLIENT_ID_STAGING=418206937752-k3v9qd2hj7m1x0c5pq8rl4tse6wn2bfa.apps.googleusercontent.com" \
  --set-secrets "JWT_SECRET_KEY=jwt-secret-staging:latest,SERVICE_SECRET=service-secret-staging:latest,GOOGLE_OAUTH_CLIENT_SECRET_STAGING=google-oauth-client-secret-staging:latest,DATABASE_URL=auth-database-url-staging:latest" \
  --quiet

gcloud run services describe auth-staging --project "$PROJECT_ID" --region "$REGION" \
  --format 'value(status.url)'
