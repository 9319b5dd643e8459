/**
 * Makefiles: recipes are shell commands, read in place (the facts' spans are the Makefile's own).
 * Make's variables reach the shell as known values, `$$NAME` is a value of the operator's
 * environment, each recipe line runs in a shell of its own, and lines that are not recipes
 * (assignments, rules, comments) deploy nothing.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractFile } from '../../server/src/extract/index';
import { classify } from '../../server/src/extract/classify';
import { recipesShadow } from '../../server/src/extract/makefile';

before(ready);

const MAKEFILE = [
  '# Deploys the API',
  'SERVICE ?= orders-api',
  'REGION := europe-west1',
  'IMAGE = $(REGION)-docker.pkg.dev/acme/apps/$(SERVICE)',
  'TAG ?= $(shell git rev-parse --short HEAD)',
  '',
  'web-build:',
  '\tcd web && npm run build',
  '',
  'deploy: build',
  '\t@echo "deploying $(SERVICE)"',
  '\tgcloud run deploy $(SERVICE) \\',
  '\t\t--source api/ \\',
  '\t\t--region $(REGION) \\',
  '\t\t--set-env-vars ENVIRONMENT=production,STRIPE_KEY=$$STRIPE_KEY',
  '',
  'gcloud-note:',
  '\t-@echo "gcloud run deploy is in the deploy target"',
  '',
].join('\n');

test('Makefile, GNUmakefile and *.mk are read as shell', () => {
  for (const f of ['Makefile', 'svc/makefile', 'GNUmakefile', 'ops/deploy.mk']) assert.equal(classify(f), 'shell', f);
  assert.equal(classify('docs/Makefile.md'), 'docs');
});

test('a recipe\'s gcloud deploy, with make\'s variables, the operator\'s $$ values and spans in the Makefile', () => {
  const f = extractFile('Makefile', MAKEFILE);
  assert.deepEqual(f.problems, []);
  assert.equal(f.deploys.length, 1);
  const d = f.deploys[0]!;
  assert.equal(d.service?.value, 'orders-api');
  assert.equal(at(MAKEFILE, d.service!.span), '$(SERVICE)');
  // The `cd web` of another target's recipe does not move this one.
  assert.equal(d.source?.value, 'api/');
  assert.equal(d.region?.value, 'europe-west1');
  const env = d.blocks.find((b) => b.kind === 'env')!;
  assert.deepEqual(env.entries.map((e) => [e.name, e.value.kind, at(MAKEFILE, e.nameSpan)]), [
    ['ENVIRONMENT', 'literal', 'ENVIRONMENT'],
    ['STRIPE_KEY', 'dynamic', 'STRIPE_KEY'],
  ]);
});

test('make variables: literal values known, a $(shell …) or an empty ?= default unknown', () => {
  const { variables, shadow } = recipesShadow(MAKEFILE + 'EMPTY ?=\nLIST = a\nLIST += b\n');
  assert.equal(variables.SERVICE, 'orders-api');
  assert.equal(variables.IMAGE, 'europe-west1-docker.pkg.dev/acme/apps/orders-api');
  assert.equal(variables.LIST, 'a b');
  assert.ok('TAG' in variables && variables.TAG === undefined);
  assert.ok('EMPTY' in variables && variables.EMPTY === undefined);
  assert.equal(shadow.length, MAKEFILE.length + 'EMPTY ?=\nLIST = a\nLIST += b\n'.length);
});

test('look-alikes: a Makefile without recipes that deploy, and gcloud only in an echo or a comment', () => {
  assert.deepEqual(extractFile('Makefile', '# gcloud run deploy api --source .\nlint:\n\truff check .\n').deploys, []);
  assert.deepEqual(extractFile('Makefile', MAKEFILE.replace(/\tgcloud run deploy[\s\S]*STRIPE_KEY\n/, '')).deploys, []);
});

test('`$$(…)` in a recipe is the shell\'s command substitution: the deploy chained after it is read', () => {
  const text = [
    'SERVICE_PREFIX = acme-prod',
    'deploy-backend:',
    '\t@PROJECT_ID=$$(gcloud config get-value project) && \\',
    '\tgcloud run deploy $(SERVICE_PREFIX)-backend \\',
    '\t\t--image $(REGISTRY_URL)/backend:latest \\',
    '\t\t--set-env-vars "DATA_STORE_ID=$(SERVICE_PREFIX)-datastore,DATA_STORE_REGION=eu" && \\',
    '\tprintf "deployed\\n"',
    '',
  ].join('\n');
  const facts = extractFile('Makefile', text);
  assert.equal(facts.deploys.length, 1);
  assert.equal(facts.deploys[0]!.service?.value, 'acme-prod-backend');
  assert.deepEqual(facts.deploys[0]!.blocks.flatMap((b) => b.entries.map((e) => e.name)), ['DATA_STORE_ID', 'DATA_STORE_REGION']);
  // The shadow keeps the file's length and every span in place.
  const { shadow } = recipesShadow(text);
  assert.equal(shadow.length, text.length);
  assert.equal(at(text, facts.deploys[0]!.blocks[0]!.entries[1]!.nameSpan), 'DATA_STORE_REGION');
  assert.match(shadow, /PROJECT_ID=\$\( gcloud config get-value project\)/);
});
