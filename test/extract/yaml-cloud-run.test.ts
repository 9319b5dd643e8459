import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { type Insertion } from '../../server/src/core/facts';
import { renderInsertion, type InsertValue } from '../../server/src/fixes/render-entry';
import { extractYamlFacts } from './yaml-facts';

before(ready);

const run = extractYamlFacts;

function apply(text: string, ins: Insertion | undefined, name: string, value: InsertValue): string {
  assert.ok(ins, 'an insertion point');
  const added = renderInsertion(ins, name, value);
  assert.ok(added !== undefined, 'renders');
  return text.slice(0, ins.offset) + added + text.slice(ins.offset);
}

const SERVICE = `# Exported with: gcloud run services describe backend-staging --format export
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: backend-staging
  namespace: '123456789012'
  labels:
    cloud.googleapis.com/location: europe-west1
    environment: staging
  annotations:
    run.googleapis.com/ingress: all
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/maxScale: '10'
        run.googleapis.com/cloudsql-instances: acme-staging:europe-west1:db
    spec:
      containerConcurrency: 80
      serviceAccountName: backend@acme-staging.iam.gserviceaccount.com
      containers:
      - image: europe-docker.pkg.dev/acme-staging/app/backend:latest
        ports:
        - name: http1
          containerPort: 8080
        env:
        - name: ENVIRONMENT
          value: staging
        - name: DATABASE_URL   # Cloud SQL socket
          value: "postgresql+asyncpg://app@/app?host=/cloudsql/acme-staging:europe-west1:db"
        - name: SECRET_KEY
          valueFrom:
            secretKeyRef:
              key: latest
              name: backend-secret-key
        resources:
          limits:
            memory: 512Mi
`;

test('Knative service: name, image, region, hints, env and secrets blocks with exact spans', () => {
  const facts = run('deploy/service.staging.yaml', SERVICE);
  assert.equal(facts.role, 'cloud-run-service');
  assert.deepEqual(facts.problems, []);
  assert.equal(facts.deploys.length, 1);
  const d = facts.deploys[0];
  assert.equal(d.platform, 'cloud-run');
  assert.equal(d.via, 'knative');
  assert.equal(d.service?.value, 'backend-staging');
  assert.equal(at(SERVICE, d.service?.span), 'backend-staging');
  assert.equal(at(SERVICE, d.image?.span), 'europe-docker.pkg.dev/acme-staging/app/backend:latest');
  assert.equal(d.region?.value, 'europe-west1');
  assert.equal(d.project, undefined, 'a project number is not a project id');
  assert.ok(d.environmentHints.some((h) => h.value === 'staging' && h.evidence.includes('label environment')));

  const env = d.blocks.find((b) => b.kind === 'env');
  const secrets = d.blocks.find((b) => b.kind === 'secrets');
  assert.ok(env && secrets);
  assert.equal(env.mode, 'set');
  assert.deepEqual(env.span, secrets.span);
  assert.deepEqual(env.entries.map((e) => e.name), ['ENVIRONMENT', 'DATABASE_URL']);
  const [envName, dbUrl] = env.entries;
  assert.equal(at(SERVICE, envName.nameSpan), 'ENVIRONMENT');
  assert.equal(at(SERVICE, envName.span), '- name: ENVIRONMENT\n          value: staging');
  assert.equal(envName.value.kind === 'literal' && at(SERVICE, envName.value.span), 'staging');
  assert.equal(dbUrl.value.kind, 'literal');
  assert.equal(dbUrl.value.kind === 'literal' && at(SERVICE, dbUrl.value.span),
    'postgresql+asyncpg://app@/app?host=/cloudsql/acme-staging:europe-west1:db');

  assert.equal(secrets.entries.length, 1);
  const s = secrets.entries[0];
  assert.equal(s.name, 'SECRET_KEY');
  assert.equal(at(SERVICE, s.nameSpan), 'SECRET_KEY');
  assert.deepEqual(s.value.kind === 'secret' && [s.value.secret, s.value.version], ['backend-secret-key', 'latest']);

  // The URL is recorded with the variable it is written to.
  assert.equal(facts.dbUrls.length, 1);
  assert.equal(facts.dbUrls[0].envName, 'DATABASE_URL');
  assert.equal(at(SERVICE, facts.dbUrls[0].span), 'postgresql+asyncpg://app@/app?host=/cloudsql/acme-staging:europe-west1:db');
});

test('Knative service: new env and secret entries are inserted after the last item and re-read', () => {
  const d = run('service.yaml', SERVICE).deploys[0];
  const env = d.blocks.find((b) => b.kind === 'env');
  assert.equal(env?.insert?.format, 'yaml-env-list');
  assert.equal(env?.insert?.before, '\n        ');
  assert.equal(SERVICE.slice(env!.insert!.offset - 'name: backend-secret-key'.length, env!.insert!.offset), 'name: backend-secret-key');

  const withEnv = apply(SERVICE, env?.insert, 'LOG_LEVEL', { kind: 'literal', value: 'info' });
  const secrets = run('service.yaml', withEnv).deploys[0].blocks.find((b) => b.kind === 'secrets');
  const again = run('service.yaml', withEnv).deploys[0].blocks.find((b) => b.kind === 'env');
  assert.deepEqual(again?.entries.map((e) => e.name), ['ENVIRONMENT', 'DATABASE_URL', 'LOG_LEVEL']);
  assert.equal(secrets?.entries.length, 1);
  // `resources:` still belongs to the container.
  assert.ok(withEnv.includes('          value: info\n        resources:'));

  const secIns = d.blocks.find((b) => b.kind === 'secrets')?.insert;
  const withSecret = apply(SERVICE, secIns, 'API_TOKEN', { kind: 'secret', secret: 'api-token', version: '2' });
  const sec2 = run('service.yaml', withSecret).deploys[0].blocks.find((b) => b.kind === 'secrets');
  assert.deepEqual(sec2?.entries.map((e) => e.value.kind === 'secret' && `${e.name}=${e.value.secret}:${e.value.version}`),
    ['SECRET_KEY=backend-secret-key:latest', 'API_TOKEN=api-token:2']);
});

const JOB_NO_ENV = `apiVersion: run.googleapis.com/v1
kind: Job
metadata:
  name: migrate-staging
  namespace: acme-staging
  labels:
    cloud.googleapis.com/location: us-central1
spec:
  template:
    spec:
      taskCount: 1
      template:
        spec:
          containers:
            - image: us-docker.pkg.dev/acme-staging/app/migrate:latest
              command: ["alembic", "upgrade", "head"]
          maxRetries: 0
`;

test('Cloud Run job without env: project from a namespace id, newEnvBlock under the container', () => {
  const facts = run('job.yaml', JOB_NO_ENV);
  assert.equal(facts.role, 'cloud-run-job', 'a job manifest says so (it used to be labelled a service)');
  const d = facts.deploys[0];
  assert.equal(d.platform, 'cloud-run-job');
  assert.equal(d.service?.value, 'migrate-staging');
  assert.equal(d.project?.value, 'acme-staging');
  assert.equal(at(JOB_NO_ENV, d.project?.span), 'acme-staging');
  assert.equal(at(JOB_NO_ENV, d.image?.span), 'us-docker.pkg.dev/acme-staging/app/migrate:latest');
  assert.deepEqual(d.blocks, []);
  assert.equal(d.newEnvBlock?.format, 'yaml-env-list');
  assert.equal(d.newEnvBlock?.before, '\n              env:\n              ');
  const out = apply(JOB_NO_ENV, d.newEnvBlock, 'DATABASE_URL', { kind: 'literal', value: 'postgresql://app@/app' });
  const again = run('job.yaml', out).deploys[0];
  assert.deepEqual(again.blocks.find((b) => b.kind === 'env')?.entries.map((e) => e.name), ['DATABASE_URL']);
  assert.equal(again.image?.value, 'us-docker.pkg.dev/acme-staging/app/migrate:latest');
  const outSecret = apply(JOB_NO_ENV, d.newSecretBlock, 'SECRET_KEY', { kind: 'secret', secret: 'secret-key' });
  const sec = run('job.yaml', outSecret).deploys[0].blocks.find((b) => b.kind === 'secrets');
  assert.deepEqual(sec?.entries.map((e) => e.name), ['SECRET_KEY']);
});

const K8S = `# Rendered manifests
apiVersion: v1
kind: ConfigMap
metadata:
  name: api-config
data:
  env: production
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: staging
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.2.3
          envFrom:
            - configMapRef:
                name: api-config
          env:
            - name: PORT
              value: "8080"
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db
                  key: password
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-report
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: report
            image: ghcr.io/acme/report:1
            args: ["run"]
          restartPolicy: Never
`;

test('Kubernetes multi-document file: Deployment and CronJob, envFrom opaque, ConfigMap ignored', () => {
  const facts = run('k8s/staging.yaml', K8S);
  assert.equal(facts.role, 'kubernetes');
  assert.deepEqual(facts.deploys.map((d) => [d.platform, d.via, d.service?.value]),
    [['kubernetes', 'kubernetes', 'api'], ['kubernetes', 'kubernetes', 'nightly-report']]);
  const [api, cron] = facts.deploys;
  assert.equal(api.opaque, 'envFrom: configMap api-config');
  assert.ok(api.environmentHints.some((h) => h.value === 'staging' && at(K8S, h.span) === 'staging'));
  const env = api.blocks.find((b) => b.kind === 'env')!;
  assert.deepEqual(env.entries.map((e) => [e.name, e.value.kind]), [['PORT', 'literal'], ['POD_IP', 'dynamic']]);
  assert.equal(env.entries[0].value.kind === 'literal' && at(K8S, env.entries[0].value.span), '8080');
  const sec = api.blocks.find((b) => b.kind === 'secrets')!;
  assert.deepEqual(sec.entries.map((e) => e.value.kind === 'secret' && [e.name, e.value.secret, e.value.version]), [['DB_PASSWORD', 'db', 'password']]);
  assert.equal(env.insert?.before, '\n            ');
  const out = apply(K8S, env.insert, 'LOG_LEVEL', { kind: 'literal', value: 'debug' });
  assert.deepEqual(run('k8s/staging.yaml', out).deploys[0].blocks[0].entries.map((e) => e.name), ['PORT', 'POD_IP', 'LOG_LEVEL']);

  assert.equal(cron.blocks.length, 0);
  assert.equal(at(K8S, cron.image?.span), 'ghcr.io/acme/report:1');
  assert.equal(cron.newEnvBlock?.before, '\n            env:\n            ');
  const out2 = apply(K8S, cron.newEnvBlock, 'REPORT_DAYS', { kind: 'literal', value: '7' });
  const cron2 = run('k8s/staging.yaml', out2).deploys[1];
  assert.deepEqual(cron2.blocks[0].entries.map((e) => e.value.kind === 'literal' && `${e.name}=${e.value.value}`), ['REPORT_DAYS=7']);
  assert.deepEqual(cron2.image?.value, 'ghcr.io/acme/report:1');
});

test('a custom resource with kind Service that is not Knative is not a deploy', () => {
  const text = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  ports:
    - port: 80
      targetPort: 8080
`;
  const facts = run('k8s/service.yaml', text);
  assert.equal(facts.deploys.length, 0);
  assert.equal(facts.role, undefined);
});

const JOB_ENV = `apiVersion: run.googleapis.com/v1
kind: Job
metadata:
  name: nightly-report
spec:
  template:
    spec:
      template:
        spec:
          containers:
            - image: gcr.io/acme/report:1
              env:
                - name: REPORT_BUCKET
                  value: acme-reports
                - name: SMTP_PASSWORD
                  valueFrom:
                    secretKeyRef:
                      name: smtp-password
                      key: latest
`;

test('Cloud Run job with env: the task template container\'s env and secrets, exact spans, insertion in the list', () => {
  const facts = run('jobs/nightly.yaml', JOB_ENV);
  assert.equal(facts.role, 'cloud-run-job');
  const d = facts.deploys[0];
  assert.equal(d.platform, 'cloud-run-job');
  assert.equal(d.service?.value, 'nightly-report');
  const env = d.blocks.find((b) => b.kind === 'env')!;
  const sec = d.blocks.find((b) => b.kind === 'secrets')!;
  assert.deepEqual(env.entries.map((e) => [e.name, at(JOB_ENV, e.nameSpan), e.value.kind === 'literal' && at(JOB_ENV, e.value.span)]), [['REPORT_BUCKET', 'REPORT_BUCKET', 'acme-reports']]);
  assert.deepEqual(sec.entries.map((e) => e.value.kind === 'secret' && [e.name, e.value.secret, e.value.version]), [['SMTP_PASSWORD', 'smtp-password', 'latest']]);
  const out = apply(JOB_ENV, env.insert, 'REGION', { kind: 'literal', value: 'eu' });
  assert.deepEqual(run('jobs/nightly.yaml', out).deploys[0].blocks.find((b) => b.kind === 'env')?.entries.map((e) => e.name), ['REPORT_BUCKET', 'REGION']);
});
