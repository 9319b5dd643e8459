/**
 * secret-missing without an inventory, two more shapes. A variable naming a file in the directory
 * a secret volume is mounted at, which the volume does not hold: the directory holds the volume's
 * files only (its items' paths; without items, on Cloud Run, one file named after the secret), so
 * the path does not exist. And a gcloud secret reference that is a path or a file name where a
 * secret's name goes: gcloud refuses the command.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { secretMissing } from '../../server/src/rules/secret-missing';

before(ready);

const CODE: Files = {
  'ledger/requirements.txt': 'flask\n',
  'ledger/app.py': 'import os\nCRED = open(os.environ["CRED_PATH"]).read()\n',
};

const RELEASE = '#!/usr/bin/env bash\nset -euo pipefail\ngcloud run services replace deploy/ledger.yaml --region europe-west1\n';

/** The same files with the manifest (and the script applying it) in another folder. */
const inFolder = (files: Files, folder: string): Files => Object.fromEntries(Object.entries(files).map(([k, v]) =>
  [k.replace(/^deploy\//, `${folder}/`), v.replace(/deploy\/ledger\.yaml/g, `${folder}/ledger.yaml`)]));

/** A Cloud Run manifest of ledger (marked by an annotation unless told), applied by a script. */
const manifest = (env: string, volume: string, opts: { mark?: boolean; mount?: string } = {}): Files => ({
  ...CODE,
  'deploy/release.sh': RELEASE,
  'deploy/ledger.yaml': `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: ledger
spec:
  template:
    metadata:
      annotations:
        ${opts.mark === false ? 'autoscaling.knative.dev/maxScale: "3"' : 'run.googleapis.com/execution-environment: gen2'}
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme/apps/ledger:1.4.0
          env:
${env}          volumeMounts:
            - name: creds
              mountPath: /secrets
${opts.mount ?? ''}      volumes:
        - name: creds
          secret:
            secretName: ledger-creds
${volume}`,
});

const env = (name: string, value: string): string => `            - name: ${name}\n              value: ${value}\n`;
const ITEMS = '            items:\n              - key: latest\n                path: creds.json\n';

const gcloud = (flags: string): Files => ({
  ...CODE,
  'deploy.sh': `#!/usr/bin/env bash\nset -euo pipefail\ngcloud run deploy ledger --source ledger --region europe-west1 \\\n  ${flags}\n`,
});

const terraform = (value: string): Files => ({
  ...CODE,
  'infra/main.tf': `resource "google_cloud_run_v2_service" "ledger" {
  name     = "ledger"
  location = "europe-west1"
  template {
    containers {
      image = "europe-docker.pkg.dev/acme/apps/ledger:1.4.0"
      env {
        name  = "CRED_PATH"
        value = "${value}"
      }
      volume_mounts {
        name       = "creds"
        mount_path = "/secrets"
      }
    }
    volumes {
      name = "creds"
      secret {
        secret = "ledger-creds"
        items {
          version = "latest"
          path    = "creds.json"
        }
      }
    }
  }
}
`,
});

RuleTester.run(secretMissing, {
  valid: [
    { name: 'the variable names the file the volume\'s item mounts', files: manifest(env('CRED_PATH', '/secrets/creds.json'), ITEMS) },
    {
      name: 'a path outside the volume\'s directory (a file of the image)',
      files: manifest(env('CRED_PATH', '/app/creds.json'), ITEMS),
      control: { files: manifest(env('CRED_PATH', '/secrets/cred.json'), ITEMS) },
    },
    {
      name: 'the variable names the directory itself',
      files: manifest(env('CRED_PATH', '/secrets'), ITEMS),
      control: { files: manifest(env('CRED_PATH', '/secrets/x'), ITEMS) },
    },
    {
      name: 'a volume without items in a manifest nothing marks as Cloud Run\'s: a Knative cluster projects every key of a Kubernetes secret',
      files: manifest(env('CRED_PATH', '/secrets/creds.json'), '', { mark: false }),
      control: { files: manifest(env('CRED_PATH', '/secrets/creds.json'), '') },
    },
    {
      name: 'a folder whose name only contains the word (`cloudrunner/`) marks nothing',
      files: inFolder(manifest(env('CRED_PATH', '/secrets/creds.json'), '', { mark: false }), 'cloudrunner'),
      control: { files: inFolder(manifest(env('CRED_PATH', '/secrets/creds.json'), '', { mark: false }), 'cloud-run') },
    },
    {
      name: 'a subPath mount puts one entry where the directory would be',
      files: manifest(env('CRED_PATH', '/secrets/cred.json'), ITEMS, { mount: '              subPath: creds.json\n' }),
      control: { files: manifest(env('CRED_PATH', '/secrets/cred.json'), ITEMS) },
    },
    { name: 'gcloud: the variable names the mounted file', files: gcloud('--set-secrets /secrets/creds.json=ledger-creds:latest --set-env-vars CRED_PATH=/secrets/creds.json') },
    { name: 'terraform: the variable names the item\'s file', files: terraform('/secrets/creds.json') },
    {
      name: 'secret names gcloud takes: a name, a name with its version, another project\'s secret, a stand-in',
      files: gcloud('--set-secrets CRED=ledger-creds:latest,KEY=ledger_key,OTHER=projects/123456789/secrets/shared:2,LATER=${SECRET_REF}'),
    },
  ],
  invalid: [
    {
      name: 'a manifest: the variable names a file the volume\'s items do not mount; the fix points it at the one they do',
      files: manifest(env('CRED_PATH', '/secrets/creds'), ITEMS),
      findings: [{
        at: 'deploy/ledger.yaml:15', severity: 'error', messageId: 'fileNotMounted', text: '/secrets/creds',
        message: 'CRED_PATH names /secrets/creds, but its secret volume holds only creds.json',
        related: [{ at: 'deploy/ledger.yaml:24', message: 'the volume mounts /secrets/creds.json (secret ledger-creds)' }, { at: 'ledger/app.py:2', message: 'CRED_PATH read here' }],
        fixes: [{
          title: 'Point CRED_PATH at /secrets/creds.json', safe: false, preferred: true,
          output: { contains: { 'deploy/ledger.yaml': '              value: /secrets/creds.json\n' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'a Cloud Run volume without items holds one file named after its secret',
      files: manifest(env('CRED_PATH', '/secrets/creds.json'), ''),
      findings: [{
        at: 'deploy/ledger.yaml:15', severity: 'error', messageId: 'fileNotMountedNoItems',
        message: 'CRED_PATH names /secrets/creds.json, but a volume without items holds only its secret\'s file, ledger-creds',
        related: ['deploy/ledger.yaml:20', 'ledger/app.py:2'],
        fixes: [{
          title: 'Point CRED_PATH at /secrets/ledger-creds', safe: false, preferred: true,
          output: { contains: { 'deploy/ledger.yaml': '              value: /secrets/ledger-creds\n' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'a manifest no annotation marks, kept in a cloudrun/ folder: the team says it is Cloud Run\'s',
      files: inFolder(manifest(env('CRED_PATH', '/secrets/creds.json'), '', { mark: false }), 'cloudrun'),
      findings: [{
        at: 'cloudrun/ledger.yaml:15', severity: 'error', messageId: 'fileNotMountedNoItems',
        message: 'CRED_PATH names /secrets/creds.json, but a volume without items holds only its secret\'s file, ledger-creds',
        related: ['cloudrun/ledger.yaml:20', 'ledger/app.py:2'],
        fixes: [{
          title: 'Point CRED_PATH at /secrets/ledger-creds', safe: false, preferred: true,
          output: { contains: { 'cloudrun/ledger.yaml': '              value: /secrets/ledger-creds\n' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'several variables naming files of one Kubernetes-style secret: one finding, no fix (each value needs a secret of its own)',
      files: manifest(env('CRED_PATH', '/secrets/cred.json') + env('TOKEN_FILE', '/secrets/token') + env('KEY_FILE', '/secrets/key'), ''),
      findings: [{
        at: 'deploy/ledger.yaml:15', severity: 'error', messageId: 'filesNotMountedNoItems',
        message: '3 variables name files in /secrets (CRED_PATH, TOKEN_FILE, KEY_FILE); a volume without items holds only ledger-creds',
        related: ['deploy/ledger.yaml:24', { at: 'deploy/ledger.yaml:17', message: 'TOKEN_FILE names /secrets/token' }, { at: 'deploy/ledger.yaml:19', message: 'KEY_FILE names /secrets/key' }],
        fixes: [],
      }],
    },
    {
      name: 'a variable nothing reads, in a manifest nothing applies: what it would do, information',
      files: (() => {
        const f = manifest(env('EXTRA_CERT', '/secrets/cert.pem'), ITEMS);
        delete f['deploy/release.sh'];
        return f;
      })(),
      findings: [{ at: 'deploy/ledger.yaml:15', severity: 'info', messageId: 'fileNotMounted', message: 'EXTRA_CERT names /secrets/cert.pem', related: ['deploy/ledger.yaml:24'], fixes: [{ title: 'Point EXTRA_CERT at /secrets/creds.json', safe: false, preferred: true }] }],
    },
    {
      name: 'a variable the code does not read, in a manifest a script applies: a warning',
      files: manifest(env('EXTRA_CERT', '/secrets/cert.pem'), ITEMS),
      findings: [{ at: 'deploy/ledger.yaml:15', severity: 'warning', messageId: 'fileNotMounted', message: 'EXTRA_CERT names /secrets/cert.pem', related: ['deploy/ledger.yaml:24'], fixes: [{ title: 'Point EXTRA_CERT at /secrets/creds.json', safe: false, preferred: true }] }],
    },
    {
      name: 'gcloud: a mounted file beside a variable naming another file of its directory',
      files: gcloud('--set-secrets /secrets/creds.json=ledger-creds:latest --set-env-vars CRED_PATH=/secrets/cred.json'),
      findings: [{
        at: 'deploy.sh:4', severity: 'error', messageId: 'fileNotMounted', text: '/secrets/cred.json',
        message: 'CRED_PATH names /secrets/cred.json, but its secret volume holds only creds.json',
        related: ['deploy.sh:4', 'ledger/app.py:2'],
        fixes: [{
          title: 'Point CRED_PATH at /secrets/creds.json', safe: false, preferred: true,
          output: { contains: { 'deploy.sh': '--set-env-vars CRED_PATH=/secrets/creds.json\n' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'terraform: the variable names a file the items do not mount',
      files: terraform('/secrets/credentials.json'),
      findings: [{
        at: 'infra/main.tf:9', severity: 'error', messageId: 'fileNotMounted', text: '/secrets/credentials.json',
        message: 'CRED_PATH names /secrets/credentials.json, but its secret volume holds only creds.json',
        related: ['infra/main.tf:20', 'ledger/app.py:2'],
        fixes: [{
          title: 'Point CRED_PATH at /secrets/creds.json', safe: false, preferred: true,
          output: { contains: { 'infra/main.tf': '        value = "/secrets/creds.json"\n' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'gcloud: a path given as the secret of a variable (a file mount written the other way round)',
      files: gcloud('--update-secrets=CRED_PATH=/secrets/creds.json'),
      findings: [{
        at: 'deploy.sh:4', severity: 'error', messageId: 'invalidSecretName', text: '/secrets/creds.json',
        message: 'CRED_PATH takes secret "/secrets/creds.json", which is no secret name: gcloud refuses the deploy',
        related: [], fixes: [],
      }],
    },
    {
      name: 'cloud build: a file name as the secret of a variable',
      files: {
        ...CODE,
        'cloudbuild.yaml': `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args: ['run', 'deploy', 'ledger', '--source', 'ledger', '--region', 'europe-west1', '--set-secrets', 'CRED_PATH=creds.json:latest']
`,
      },
      findings: [{ at: 'cloudbuild.yaml:4', severity: 'error', messageId: 'invalidSecretName', text: 'creds.json:latest', message: 'CRED_PATH takes secret "creds.json"', related: [], fixes: [] }],
    },
    {
      name: 'github actions: deploy-cloudrun\'s secrets input with a path as a secret',
      files: {
        ...CODE,
        '.github/workflows/deploy.yml': `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/deploy-cloudrun@v2
        with:
          service: ledger
          source: ledger
          region: europe-west1
          secrets: |
            CRED_PATH=/secrets/creds.json
`,
      },
      findings: [{ at: '.github/workflows/deploy.yml:12', severity: 'error', messageId: 'invalidSecretName', message: 'CRED_PATH takes secret "/secrets/creds.json"', related: [], fixes: [] }],
    },
  ],
});
