#!/usr/bin/env bash
# Hot-patch runtime settings of the Node services without a rebuild.
#   ENV=production LOG_LEVEL=debug ./ops/deploy.sh
set -euo pipefail

ENV="${ENV:-staging}"
case "$ENV" in
  staging) PROJECT=ridehail-staging ;;
  production) PROJECT=ridehail-prod ;;
  *) echo "unknown ENV $ENV" >&2; exit 2 ;;
esac

for svc in gateway notifier; do
  echo "==> $svc-$ENV"
  gcloud run services update "$svc-$ENV" \
    --project "$PROJECT" \
    --region europe-west1 \
    --update-env-vars "LOG_LEVEL=${LOG_LEVEL:-info}"
done
