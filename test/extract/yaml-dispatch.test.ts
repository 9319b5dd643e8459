import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extractYamlFacts } from './yaml-facts';

before(ready);

const run = extractYamlFacts;

test('a Helm values.yaml with an `env:` map is not a manifest', () => {
  const text = `replicaCount: 2
image:
  repository: ghcr.io/acme/api
  tag: latest
env:
  DATABASE_URL: postgresql://app@db/app
  LOG_LEVEL: info
service:
  type: ClusterIP
  port: 80
`;
  const facts = run('charts/api/values.yaml', text);
  assert.equal(facts.role, undefined);
  assert.deepEqual(facts.deploys, []);
  assert.equal(facts.envFile, undefined);
  // Database URLs are still seen wherever they are.
  assert.equal(facts.dbUrls.length, 1);
});

test('an OpenAPI spec is ignored', () => {
  const text = `openapi: 3.0.3
info:
  title: Orders API
  version: 1.0.0
servers:
  - url: https://api.example.com
    description: Production environment
paths:
  /orders:
    get:
      summary: List orders
      responses:
        '200':
          description: OK
`;
  const facts = run('openapi.yaml', text);
  assert.equal(facts.role, undefined);
  assert.deepEqual(facts.deploys, []);
  assert.deepEqual(facts.problems, []);
});

test('a file without trigger words is not parsed (malformed content gives no problem)', () => {
  const facts = run('data.yaml', 'a: [1, 2\nb: {');
  assert.deepEqual(facts.problems, []);
  assert.equal(facts.role, undefined);
});

test('malformed YAML: one problem with its line, what parsed before is still read, no secret in the message', () => {
  const text = `services:
  api:
    image: ghcr.io/acme/api
    environment:
      SECRET_TOKEN: hunter2-very-secret
  broken: [unclosed
`;
  const facts = run('docker-compose.yml', text);
  assert.equal(facts.problems.length, 1);
  assert.match(facts.problems[0].message, /line \d+/);
  assert.doesNotMatch(facts.problems[0].message, /hunter2|unclosed/);
  assert.ok(facts.deploys.some((d) => d.service?.value === 'api'));

  const tabbed = run('cloudbuild.yaml', 'steps:\n\t- name: x\n  args: ["a"\n');
  assert.equal(tabbed.problems.length, 1);
});

test('an alias bomb finishes quickly: aliases are never expanded', () => {
  const lines = ['env: x', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= 10; i++) {
    const ref = `*a${i - 1}`;
    lines.push(`a${i}: &a${i} [${Array(10).fill(ref).join(', ')}]`);
  }
  lines.push('steps:', '  - name: gcr.io/cloud-builders/gcloud', '    args: *a10');
  lines.push('services:', '  api:', '    build: .', '    environment: *a10', '    image: *a10');
  const text = lines.join('\n') + '\n';
  const t0 = Date.now();
  const facts = run('cloudbuild.yaml', text);
  assert.ok(Date.now() - t0 < 1000, 'no expansion');
  assert.deepEqual(facts.deploys, []);
  const facts2 = run('docker-compose.yml', text.replace(/steps:[\s\S]*?(?=services:)/, ''));
  assert.ok(Date.now() - t0 < 2000);
  assert.deepEqual(facts2.deploys.map((d) => [d.service?.value, d.blocks.length, d.image]), [['api', 0, undefined]]);
});

test('a Helm or OpenShift template (Go template actions) is YAML only once rendered: no syntax-error notice; a broken workflow with ${{ }} still gets one', () => {
  const helm = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "agent.fullname" . }}
spec:
  template:
    spec:
      containers:
        - name: agent
          env:
            {{- range $k, $v := .Values.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
`;
  assert.deepEqual(run('deploy/chart/templates/deployment.yaml', helm).problems, []);
  const workflow = 'on: push\njobs:\n  deploy:\n    steps:\n      - run: echo ${{ github.sha }}\n       bad: [unclosed\n';
  assert.equal(run('.github/workflows/deploy.yml', workflow).problems.length, 1);
});
