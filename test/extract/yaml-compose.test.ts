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

const COMPOSE = `# Local development stack
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
      POSTGRES_DB: app
  api:
    build: ./backend
    ports:
      - "8000:8000"
    environment:
      DATABASE_URL: postgresql://postgres:example@db:5432/app?sslmode=disable
      DEBUG: "true"
      API_KEY:
      REDIS_URL: \${REDIS_URL:-redis://redis:6379}
      PRICE: $$5
    env_file:
      - .env
      - path: ./backend/.env.local
        required: false
  worker:
    build:
      context: ./worker
      dockerfile: Dockerfile
    environment:
      - QUEUE=jobs
      - 'LOG_LEVEL=info'
      - SENTRY_DSN
    env_file: worker.env
  redis:
    image: redis:7
`;

test('compose: one deploy per service with source, image and env files', () => {
  const facts = run('docker-compose.yml', COMPOSE);
  assert.equal(facts.role, 'compose');
  assert.deepEqual(facts.problems, []);
  assert.deepEqual(facts.deploys.map((d) => [d.platform, d.via, d.service?.value]),
    [['compose', 'compose', 'db'], ['compose', 'compose', 'api'], ['compose', 'compose', 'worker'], ['compose', 'compose', 'redis']]);
  const [db, api, worker, redis] = facts.deploys;
  assert.equal(at(COMPOSE, api.service?.span), 'api');
  assert.equal(at(COMPOSE, db.image?.span), 'postgres:16');
  assert.equal(at(COMPOSE, api.source?.span), './backend');
  assert.equal(at(COMPOSE, worker.source?.span), './worker');
  assert.equal(redis.image?.value, 'redis:7');
  assert.deepEqual(api.envFiles.map((f) => at(COMPOSE, f.span)), ['.env', './backend/.env.local']);
  assert.deepEqual(worker.envFiles.map((f) => f.value), ['worker.env']);
});

test('compose: map environment (literal, inherited, interpolated) with spans and insertion', () => {
  const api = run('docker-compose.yml', COMPOSE).deploys[1];
  const env = api.blocks[0];
  assert.equal(env.kind, 'env');
  assert.deepEqual(env.entries.map((e) => [e.name, e.value.kind]),
    [['DATABASE_URL', 'literal'], ['DEBUG', 'literal'], ['API_KEY', 'inherited'], ['REDIS_URL', 'dynamic'], ['PRICE', 'literal']]);
  const [url, debug, , redis, price] = env.entries;
  assert.equal(at(COMPOSE, url.nameSpan), 'DATABASE_URL');
  assert.equal(at(COMPOSE, debug.span), 'DEBUG: "true"');
  assert.equal(debug.value.kind === 'literal' && at(COMPOSE, debug.value.span), 'true');
  assert.equal(redis.value.kind === 'dynamic' && at(COMPOSE, redis.value.span), '${REDIS_URL:-redis://redis:6379}');
  assert.equal(price.value.kind === 'literal' && price.value.value, '$5', '$$ is a literal dollar');
  assert.equal(env.insert?.format, 'yaml-map');
  assert.equal(env.insert?.before, '\n      ');
  const out = apply(COMPOSE, env.insert, 'LOG_LEVEL', { kind: 'literal', value: 'debug' });
  const again = run('docker-compose.yml', out).deploys[1];
  assert.deepEqual(again.blocks[0].entries.map((e) => e.name), ['DATABASE_URL', 'DEBUG', 'API_KEY', 'REDIS_URL', 'PRICE', 'LOG_LEVEL']);
  assert.equal(again.envFiles.length, 2);
});

test('compose: list environment with `- KEY=value`, quoted items and bare inherited names', () => {
  const worker = run('docker-compose.yml', COMPOSE).deploys[2];
  const env = worker.blocks[0];
  assert.deepEqual(env.entries.map((e) => [e.name, e.value.kind]), [['QUEUE', 'literal'], ['LOG_LEVEL', 'literal'], ['SENTRY_DSN', 'inherited']]);
  assert.equal(at(COMPOSE, env.entries[0].span), '- QUEUE=jobs');
  assert.equal(at(COMPOSE, env.entries[1].nameSpan), 'LOG_LEVEL');
  assert.equal(env.entries[1].value.kind === 'literal' && at(COMPOSE, env.entries[1].value.span), 'info');
  assert.equal(at(COMPOSE, env.entries[2].nameSpan), 'SENTRY_DSN');
  assert.equal(env.insert?.format, 'yaml-list-kv');
  assert.equal(env.insert?.quote, "'");
  const out = apply(COMPOSE, env.insert, 'WORKERS', { kind: 'literal', value: '4' });
  const again = run('docker-compose.yml', out).deploys[2].blocks[0];
  assert.deepEqual(again.entries.map((e) => e.value.kind === 'literal' ? `${e.name}=${e.value.value}` : e.name),
    ['QUEUE=jobs', 'LOG_LEVEL=info', 'SENTRY_DSN', 'WORKERS=4']);
});

test('compose: a service without environment gets a new `environment:` map', () => {
  const redis = run('docker-compose.yml', COMPOSE).deploys[3];
  assert.equal(redis.blocks.length, 0);
  assert.equal(redis.newEnvBlock?.before, '\n    environment:\n      ');
  const out = apply(COMPOSE, redis.newEnvBlock, 'MAXMEMORY', { kind: 'literal', value: '256mb' });
  const again = run('docker-compose.yml', out).deploys[3];
  assert.deepEqual(again.blocks[0].entries.map((e) => e.name), ['MAXMEMORY']);
  assert.equal(again.image?.value, 'redis:7');
});

test('compose: database URLs carry their variable; a postgres image is not a URL', () => {
  const facts = run('docker-compose.yml', COMPOSE);
  assert.equal(facts.dbUrls.length, 1);
  assert.equal(facts.dbUrls[0].envName, 'DATABASE_URL');
  assert.equal(at(COMPOSE, facts.dbUrls[0].span), 'postgresql://postgres:example@db:5432/app?sslmode=disable');
});

test('not compose: a `services:` map of settings', () => {
  const text = `services:
  payments:
    url: https://payments.internal
    timeout: 30
  search:
    url: https://search.internal
`;
  const facts = run('config/services.yaml', text);
  assert.equal(facts.role, undefined);
  assert.deepEqual(facts.deploys, []);
});
