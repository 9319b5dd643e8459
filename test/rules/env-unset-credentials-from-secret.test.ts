/**
 * env-unset-for-deploy: GOOGLE_APPLICATION_CREDENTIALS given a secret's content (`--set-secrets
 * GOOGLE_APPLICATION_CREDENTIALS=sa-key:latest`, a Knative `secretKeyRef`). Google's auth libraries
 * read the variable as the path of a key file: with the key's JSON in it they look for a file of
 * that name, fail, and every Google client of the service fails to authenticate. Reported in each
 * deploy form that mounts secrets as variables (a warning where the service's own code reads the
 * variable: it may parse the JSON on purpose); quiet where the secret is mounted as a file and the
 * variable names that file, and for a local compose stack. The fix removes the entry (on Cloud Run the service's
 * own account is used). Minimal original reproduction.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

/** A service that uses Google clients and reads nothing about credentials itself. */
const API: Files = {
  'api/requirements.txt': 'fastapi\ngoogle-cloud-storage\n',
  'api/main.py': 'import os\nfrom google.cloud import storage\nBUCKET = os.environ.get("UPLOAD_BUCKET", "uploads")\nclient = storage.Client()\n',
};
const READS_IT: Files = { 'api/creds.py': 'import json, os\nINFO = json.loads(os.environ["GOOGLE_APPLICATION_CREDENTIALS"])\n' };

const SHELL = (flags: string): Files => ({
  'deploy/deploy-api.sh': `#!/usr/bin/env bash
gcloud run deploy api --source api --project acme-prod --region europe-west1 \\
  ${flags}
`,
});
const CLOUDBUILD: Files = {
  'cloudbuild.yaml': `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args: ['run', 'deploy', 'api', '--source', 'api', '--project', 'acme-prod', '--set-secrets', 'DB_PASSWORD=db-password:latest,GOOGLE_APPLICATION_CREDENTIALS=api-sa-key:latest']
`,
};
const KNATIVE: Files = {
  'deploy/api.yaml': `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme-prod/apps/api:1
          env:
            - name: LOG_LEVEL
              value: info
            - name: GOOGLE_APPLICATION_CREDENTIALS
              valueFrom:
                secretKeyRef:
                  name: api-sa-key
                  key: latest
`,
  'deploy/apply.sh': '#!/bin/sh\ngcloud run services replace deploy/api.yaml --project acme-prod\n',
  'api/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["uvicorn", "main:app"]\n',
};

const REMOVE = (file: string, gone: string) => ({
  title: /^Remove GOOGLE_APPLICATION_CREDENTIALS \(on Cloud Run the service's own account is used\)$/, safe: false, preferred: true,
  output: { lacks: { [file]: gone }, remaining: [] },
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'the secret mounted as a file, and the variable naming that file',
      files: { ...API, ...SHELL('--set-secrets /secrets/sa/key.json=api-sa-key:latest --set-env-vars GOOGLE_APPLICATION_CREDENTIALS=/secrets/sa/key.json') },
      control: { files: { ...API, ...SHELL('--set-secrets DB_PASSWORD=db-password:latest,GOOGLE_APPLICATION_CREDENTIALS=api-sa-key:latest') } },
    },
    {
      name: 'a local compose stack holding the JSON in the variable is no Cloud Run deploy',
      files: { ...API, 'docker-compose.yml': 'services:\n  api:\n    build: ./api\n    environment:\n      GOOGLE_APPLICATION_CREDENTIALS: ${SA_JSON}\n' },
    },
  ],
  invalid: [
    {
      name: 'shell: --set-secrets GOOGLE_APPLICATION_CREDENTIALS=secret: reported at the entry, fixed by removing it',
      files: { ...API, ...SHELL('--set-secrets DB_PASSWORD=db-password:latest,GOOGLE_APPLICATION_CREDENTIALS=api-sa-key:latest') },
      findings: [{
        at: 'deploy/deploy-api.sh:3', text: 'GOOGLE_APPLICATION_CREDENTIALS', severity: 'error', messageId: 'credentialsFromSecret',
        message: /^api \(production\) gets secret api-sa-key as GOOGLE_APPLICATION_CREDENTIALS, which must be a key file's path$/,
        related: [],
        fixes: [REMOVE('deploy/deploy-api.sh', 'GOOGLE_APPLICATION_CREDENTIALS')],
      }],
    },
    {
      // It may parse the JSON on purpose; Google clients made without credentials still read a path.
      name: 'the service reads the variable itself: a warning',
      files: { ...API, ...READS_IT, ...SHELL('--set-secrets DB_PASSWORD=db-password:latest,GOOGLE_APPLICATION_CREDENTIALS=api-sa-key:latest') },
      findings: [{
        at: 'deploy/deploy-api.sh:3', text: 'GOOGLE_APPLICATION_CREDENTIALS', severity: 'warning', messageId: 'credentialsFromSecret',
        message: /gets secret api-sa-key as GOOGLE_APPLICATION_CREDENTIALS, which must be a key file's path$/,
        related: [],
        fixes: [REMOVE('deploy/deploy-api.sh', 'GOOGLE_APPLICATION_CREDENTIALS')],
      }],
    },
    {
      name: 'Cloud Build: the same in a step\'s --set-secrets argument',
      files: { ...API, ...CLOUDBUILD },
      findings: [{
        at: 'cloudbuild.yaml:4', text: 'GOOGLE_APPLICATION_CREDENTIALS', severity: 'error', messageId: 'credentialsFromSecret',
        message: /gets secret api-sa-key as GOOGLE_APPLICATION_CREDENTIALS, which must be a key file's path$/,
        related: [],
        fixes: [REMOVE('cloudbuild.yaml', 'GOOGLE_APPLICATION_CREDENTIALS')],
      }],
    },
    {
      name: 'Knative: a secretKeyRef into the variable, in a manifest a script applies',
      files: { ...API, ...KNATIVE },
      findings: [{
        at: 'deploy/api.yaml:13', text: 'GOOGLE_APPLICATION_CREDENTIALS', severity: 'error', messageId: 'credentialsFromSecret',
        message: /gets secret api-sa-key as GOOGLE_APPLICATION_CREDENTIALS, which must be a key file's path$/,
        related: [],
        // A manifest's secretKeyRef entry has no removal edit yet (a plain value's has).
        fixes: [],
      }],
    },
  ],
});
