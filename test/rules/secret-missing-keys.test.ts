/**
 * secret-missing without an inventory: a Cloud Run manifest's `secretKeyRef.key` written as a
 * Kubernetes secret's key. Cloud Run reads the key as the Secret Manager version (a number,
 * `latest`, or a version alias), so `key: url` names no version unless the secret carries that
 * alias: a warning, with `latest` as the fix where the secret holds one value; one finding, no fix,
 * where one secret is read at several keys. A manifest nothing marks as Cloud Run's (a Knative
 * cluster reads Kubernetes secrets), one no script or workflow applies (a page of documentation
 * does not), one whose image is a placeholder, and a stand-in a tool fills in stay quiet.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { secretMissing } from '../../server/src/rules/secret-missing';

before(ready);

const manifest = (env: string, annotations = '        run.googleapis.com/execution-environment: gen2\n'): string => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ledger
spec:
  template:
    metadata:
      annotations:
${annotations}    spec:
      containers:
        - image: europe-docker.pkg.dev/acme/apps/ledger:1.4.0
          env:
${env}`;

const ref = (name: string, secret: string, key: string): string => `            - name: ${name}
              valueFrom:
                secretKeyRef:
                  name: ${secret}
                  key: ${key}
`;

const RELEASE = '#!/usr/bin/env bash\nset -euo pipefail\ngcloud run services replace deploy/ledger.yaml --region europe-west1\n';

const service = (yaml: string, applier: Files = { 'deploy/release.sh': RELEASE }): Files => ({
  'ledger/requirements.txt': 'flask\n',
  'ledger/app.py': 'import os\nDB = os.environ["DATABASE_URL"]\nKEY = os.environ["SIGNING_KEY"]\nHOOK = os.environ["HOOK_TOKEN"]\n',
  'deploy/ledger.yaml': yaml,
  ...applier,
});

const KUBERNETES_KEYS = ref('DATABASE_URL', 'ledger-db-url', 'url') + ref('SIGNING_KEY', 'ledger-signing-key', '3') + ref('HOOK_TOKEN', 'ledger-hook', 'latest');

const VERSIONS = ref('DATABASE_URL', 'ledger-db-url', 'latest') + ref('SIGNING_KEY', 'ledger-signing-key', '3') + ref('HOOK_TOKEN', 'ledger-hook', 'latest');

RuleTester.run(secretMissing, {
  valid: [
    { name: 'keys that are versions: a number or latest', files: service(manifest(VERSIONS)) },
    {
      name: 'a Knative manifest nothing marks as Cloud Run\'s: its keys are a cluster\'s Kubernetes keys',
      files: service(manifest(ref('DATABASE_URL', 'ledger', 'url') + ref('SIGNING_KEY', 'ledger', 'signing'), '        autoscaling.knative.dev/maxScale: "3"\n')),
      control: { files: service(manifest(ref('DATABASE_URL', 'ledger', 'url') + ref('SIGNING_KEY', 'ledger', 'signing'))) },
    },
    {
      name: 'only a page of documentation applies it: a template or a note, not a deploy that runs',
      files: service(manifest(KUBERNETES_KEYS), { 'README.md': 'Deploy with `gcloud run services replace deploy/ledger.yaml`.\n' }),
      control: { files: service(manifest(KUBERNETES_KEYS)) },
    },
    {
      name: 'an image still to fill in: a template',
      files: service(manifest(KUBERNETES_KEYS).replace('europe-docker.pkg.dev/acme/apps/ledger:1.4.0', 'gcr.io/PROJECT_ID/ledger')),
      control: { files: service(manifest(KUBERNETES_KEYS)) },
    },
    {
      name: 'a stand-in a tool replaces before applying',
      files: service(manifest(ref('DATABASE_URL', 'ledger-db-url', '__DB_VERSION__') + ref('SIGNING_KEY', 'ledger-signing-key', '${KEY_VERSION}'))),
      control: { files: service(manifest(ref('DATABASE_URL', 'ledger-db-url', 'url'))) },
    },
  ],
  invalid: [
    {
      name: 'a key named like a Kubernetes secret\'s, one value per secret: the fix reads the newest version',
      files: service(manifest(ref('DATABASE_URL', 'ledger-db-url', 'url') + ref('SIGNING_KEY', 'ledger-signing-key', '3'))),
      findings: [{
        at: 'deploy/ledger.yaml:18', severity: 'warning', messageId: 'keyNoVersion',
        message: 'DATABASE_URL: Cloud Run reads key "url" as a version of secret ledger-db-url (a number, latest or an alias)',
        related: [],
        fixes: [{
          title: 'Use key: latest (the newest version of secret ledger-db-url)', safe: false, preferred: true,
          output: { contains: { 'deploy/ledger.yaml': '                  key: latest\n' }, lacks: { 'deploy/ledger.yaml': 'key: url' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'one secret read at several keys, as a Kubernetes secret holds values: one finding, its other keys related',
      files: service(manifest(ref('DATABASE_URL', 'ledger', 'DATABASE_URL') + ref('SIGNING_KEY', 'ledger', 'SIGNING_KEY') + ref('HOOK_TOKEN', 'ledger', 'HOOK_TOKEN'))),
      findings: [{
        at: 'deploy/ledger.yaml:18', severity: 'warning', messageId: 'keysOfOneSecret',
        message: '3 variables take keys ("DATABASE_URL", "SIGNING_KEY", …) of secret ledger: Cloud Run reads a key as a version',
        related: [{ at: 'deploy/ledger.yaml:23', text: 'SIGNING_KEY' }, { at: 'deploy/ledger.yaml:28', text: 'HOOK_TOKEN' }],
        fixes: [],
      }],
    },
    {
      name: 'the run.googleapis.com/v1 apiVersion marks it too',
      files: service(manifest(ref('DATABASE_URL', 'ledger-db-url', 'url') + ref('SIGNING_KEY', 'ledger-signing-key', '3') + ref('HOOK_TOKEN', 'ledger-hook', 'latest')).replace('serving.knative.dev/v1', 'run.googleapis.com/v1').replace('        run.googleapis.com/execution-environment: gen2\n', '        autoscaling.knative.dev/maxScale: "3"\n')),
      findings: [{ at: 'deploy/ledger.yaml:18', severity: 'warning', messageId: 'keyNoVersion', message: /^DATABASE_URL: Cloud Run reads key "url"/, related: [], fixes: [{ title: /^Use key: latest/, safe: false, preferred: true }] }],
    },
  ],
});
