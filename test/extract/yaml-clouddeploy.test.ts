/** Cloud Deploy pipelines and targets, Skaffold profiles: the facts that tie a manifest to a target. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractCleanYaml } from './yaml-facts';

before(ready);

const run = extractCleanYaml;

const PIPELINE = `apiVersion: deploy.cloud.google.com/v1
kind: DeliveryPipeline
metadata:
  name: shop
serialPipeline:
  stages:
  - targetId: staging
    profiles: [staging]
  - targetId: prod
    profiles:
    - prod
    strategy:
      standard:
        verify: false
  - targetId: canary-eu
---
apiVersion: deploy.cloud.google.com/v1
kind: Target
metadata:
  name: staging
run:
  location: projects/shop-staging/locations/us-central1
---
apiVersion: deploy.cloud.google.com/v1
kind: Target
metadata:
  name: prod
requireApproval: true
run:
  location: projects/shop-prod/locations/europe-west1
`;

test('a delivery pipeline: each stage\'s target and profiles; each target\'s Cloud Run location', () => {
  const facts = run('clouddeploy.yaml', PIPELINE);
  assert.equal(facts.role, 'clouddeploy');
  assert.deepEqual(facts.deploys, [], 'the pipeline deploys nothing itself');
  assert.deepEqual(facts.deliveryStages?.map((s) => [s.pipeline, s.targetId, s.profiles, at(PIPELINE, s.span)?.split('\n')[0]]), [
    ['shop', 'staging', ['staging'], 'targetId: staging'],
    ['shop', 'prod', ['prod'], 'targetId: prod'],
    ['shop', 'canary-eu', [], 'targetId: canary-eu'],
  ]);
  assert.deepEqual(facts.deliveryTargets?.map((t) => [t.id, t.project, t.region, at(PIPELINE, t.span)?.split('\n')[0]]), [
    ['staging', 'shop-staging', 'us-central1', 'apiVersion: deploy.cloud.google.com/v1'],
    ['prod', 'shop-prod', 'europe-west1', 'apiVersion: deploy.cloud.google.com/v1'],
  ]);
});

const SKAFFOLD = `apiVersion: skaffold/v4beta7
kind: Config
metadata:
  name: shop
manifests:
  rawYaml:
  - deploy/run-dev.yaml
profiles:
- name: staging
  manifests:
    rawYaml:
    - deploy/run-staging.yaml
- name: prod
  manifests:
    rawYaml:
    - deploy/run-prod.yaml
    - deploy/jobs/*.yaml
- name: local
deploy:
  cloudrun: {}
`;

test('a Skaffold config: default and per-profile manifests with their spans; a profile without manifests renders the default', () => {
  const facts = run('skaffold.yaml', SKAFFOLD);
  assert.equal(facts.role, 'skaffold');
  assert.deepEqual(facts.skaffold?.map((s) => [s.profile ?? '(default)', s.manifests.map((m) => m.path), s.cloudRun]), [
    ['(default)', ['deploy/run-dev.yaml'], true],
    ['staging', ['deploy/run-staging.yaml'], true],
    ['prod', ['deploy/run-prod.yaml', 'deploy/jobs/*.yaml'], true],
    ['local', ['deploy/run-dev.yaml'], true],
  ]);
  assert.equal(at(SKAFFOLD, facts.skaffold![1].manifests[0].span), 'deploy/run-staging.yaml');
});

test('look-alikes: a Kubernetes kind named Target, a skaffold-ish file of another kind, Cloud Deploy automation', () => {
  const other = `apiVersion: example.com/v1
kind: Target
metadata:
  name: staging
`;
  assert.equal(run('target.yaml', other).deliveryTargets, undefined);
  const plugin = `apiVersion: skaffold/v4beta7
kind: Plugin
manifests:
  rawYaml: [x.yaml]
`;
  assert.equal(run('skaffold.yaml', plugin).skaffold, undefined);
  const automation = `apiVersion: deploy.cloud.google.com/v1
kind: Automation
metadata:
  name: promote
rules:
- promoteReleaseRule:
    name: promote
    toTargetId: "@next"
`;
  const facts = run('automation.yaml', automation);
  assert.equal(facts.deliveryStages, undefined);
  assert.equal(facts.deliveryTargets, undefined);
});
