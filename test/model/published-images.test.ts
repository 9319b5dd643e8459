import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDockerHubImage } from '../../server/src/knowledge/published-images';

test('Docker Hub references: a first component without a dot, a colon or localhost is no registry host; a bare name is no reference', () => {
  for (const image of ['cloudflare/cloudflared:latest', 'docker.io/grafana/grafana:11.0.0', 'index.docker.io/library/postgres', 'n8nio/n8n@sha256:0123abcd']) {
    assert.equal(isDockerHubImage(image), true, image);
  }
  for (const image of [
    // A bare name is one a build tool renders (Skaffold, Cloud Deploy: `image: website`).
    'website', 'nginx', 'api:1',
    'gcr.io/acme/api', 'us-central1-docker.pkg.dev/acme/repo/api:1', 'ghcr.io/acme/api', 'localhost/api', 'localhost:5000/api', 'registry.example.com:443/api',
    // Variables and stand-ins are filled in by someone: nothing to tell.
    '$IMAGE', '${REGISTRY}/api', 'acme/${SERVICE}:latest', 'gcr.io/PROJECT_ID/api', 'ACME/api', '<your-image>', '',
  ]) {
    assert.equal(isDockerHubImage(image), false, image);
  }
});
