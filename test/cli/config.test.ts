/**
 * Honest failure: a configuration error stops the run (exit 2) and says where (file, line,
 * column) and what was meant (did you mean …?); a run that checked nothing says so; skipped
 * folders are configurable and a file named on the command line is never skipped silently. The
 * configuration is validated with the published JSON Schema, which must agree with the engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { cli, fixtureRepo, tempDir, write, type JsonReport } from './helpers';
import { parseConfig, CONFIG_SCHEMA } from '../../server/src/engine/config';
import { DEFAULT_SKIP_DIRS } from '../../server/src/core/config';
import { ruleCatalog } from '../../server/src/engine/analysis';
import { nearest } from '../../server/src/engine/did-you-mean';

const REPO = path.join(__dirname, '..', '..');
const CFG = '.deploy-preflight.yaml';

async function withConfig(name: string, text: string, ...args: string[]): Promise<{ code: number; out: string; err: string; repo: string }> {
  const repo = fixtureRepo(name);
  write(repo, CFG, text);
  return { ...(await cli(['.', ...args], { cwd: repo })), repo };
}

test('a misspelt rule id exits 2 with the file, line, column and the rule meant', async () => {
  const r = await withConfig('typo-rule', 'rules:\n  env-unset-for-deploy: warning\n  placeholder-secrt: off\n', '--no-color');
  assert.equal(r.code, 2);
  assert.match(r.out, /\.deploy-preflight\.yaml:3:3: unknown rule "placeholder-secrt" \(did you mean "placeholder-secret"\?\)/);
  assert.doesNotMatch(r.out, /no problems found/);
  assert.doesNotMatch(r.out, /env-unset-for-deploy {2}/, 'nothing was analysed');
});

test('misspelt keys and severities, wrong shapes: one located message each, with did-you-mean', async () => {
  const text = [
    'rule:',                              // 1: rules
    '  placeholder-secret: off',
    'rules:',
    '  env-unset-for-deploy: warn',       // 4: warning
    'services:',
    '  ledger:',
    '    root: services/ledger',
    '    deploy: [cloudbuild.staging.yaml]', // 8: deploys
    'environments: qa',                   // 9: a list or a mapping
    'maxFileBytes: -1',                   // 10
    '',
  ].join('\n');
  const r = await withConfig('typos', text, '--format', 'json');
  assert.equal(r.code, 2);
  const errors = (JSON.parse(r.out) as JsonReport).configErrors.map((e) => `${e.line}:${e.column} ${e.message}`);
  assert.deepEqual(errors, [
    '1:1 unknown key "rule" ignored (did you mean "rules"?)',
    '4:25 rules.env-unset-for-deploy must be one of off, info, warning, error, not "warn" (did you mean "warning"?)',
    '8:5 services.ledger: unknown key "deploy" ignored (did you mean "deploys"?)',
    '9:15 environments must be a list of environment names, or a mapping of each name to the tokens that recognise it',
    '10:15 maxFileBytes must be a positive whole number',
  ]);
  // The same on stderr, compiler-style, for a person reading a CI log.
  assert.match(r.err, /^deploy-preflight: \.deploy-preflight\.yaml:1:1: unknown key "rule" ignored \(did you mean "rules"\?\)$/m);
});

test('a malformed file exits 2 with the parser\'s position, in YAML and JSON', async () => {
  const yaml = await withConfig('bad-yaml', 'rules:\n  placeholder-secret: [off\n');
  assert.equal(yaml.code, 2);
  assert.match(yaml.out, /\.deploy-preflight\.yaml:\d+:\d+: cannot parse configuration/);
  const repo = fixtureRepo('bad-json');
  write(repo, '.deploy-preflight.json', '{\n  "rules": {\n    "placeholder-secret": "off",\n  }\n}\n');
  const json = await cli(['.', '--no-color'], { cwd: repo });
  assert.equal(json.code, 2);
  assert.match(json.out, /\.deploy-preflight\.json:4:3: cannot parse configuration/);
});

test('--config: from the current directory; outside the workspace or missing is an error that says so', async () => {
  const repo = fixtureRepo('config-arg', { under: 'infra' });
  write(repo, 'infra/ci.yaml', 'rules:\n  env-unset-for-deploy: off\n');
  const ok = await cli(['infra', '--config', 'infra/ci.yaml', '--format', 'json'], { cwd: repo });
  assert.equal(ok.code, 0, ok.err);
  assert.deepEqual((JSON.parse(ok.out) as JsonReport).findings.filter((f) => f.rule === 'env-unset-for-deploy'), []);

  write(repo, 'shared.yaml', 'rules:\n  env-unset-for-deploy: off\n');
  const outside = await cli(['infra', '--config', 'shared.yaml', '--no-color'], { cwd: repo });
  assert.equal(outside.code, 2);
  assert.match(outside.out, /config file \.\.\/shared\.yaml is outside the workspace: refused/);
  assert.doesNotMatch(outside.out + outside.err, /symlink/, 'it is not a symlink');

  const missing = await cli(['infra', '--config', 'infra/nope.yaml', '--no-color'], { cwd: repo });
  assert.equal(missing.code, 2);
  assert.match(missing.out, /config file nope\.yaml not found/);
  assert.doesNotMatch(missing.out + missing.err, /symlink/);
});

test('configuration errors as annotations and as SARIF notifications, so CI shows them where they are', async () => {
  const gh = await withConfig('typo-github', 'rules:\n  placeholder-secrt: off\n', '--format', 'github');
  assert.equal(gh.code, 2);
  assert.match(gh.out, /^::error file=\.deploy-preflight\.yaml,line=2,col=3,title=deploy-preflight configuration::unknown rule "placeholder-secrt" \(did you mean "placeholder-secret"\?\)$/m);
  const sarif = await withConfig('typo-sarif', 'rules:\n  placeholder-secrt: off\n', '--format', 'sarif');
  const inv = JSON.parse(sarif.out).runs[0].invocations[0];
  assert.equal(inv.executionSuccessful, false);
  const n = inv.toolExecutionNotifications.find((x: { level: string }) => x.level === 'error');
  assert.match(n.message.text, /unknown rule "placeholder-secrt"/);
  assert.deepEqual(n.locations[0].physicalLocation, { artifactLocation: { uri: '.deploy-preflight.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 2, startColumn: 3 } });
});

test('valid configurations stay quiet: every key, both environment shapes, a service as a folder, $schema, an empty file', () => {
  const full = [
    '# yaml-language-server: $schema=https://example.invalid/schema.json',
    '$schema: ./node_modules/deploy-preflight/schemas/deploy-preflight.schema.json',
    'rules: { placeholder-secret: error, unused-suppression: off }',
    'environments: { qa: [qa, test2] }',
    'services:',
    '  api: { root: services/api, deploys: [deploy/api.sh], names: [api-gateway-staging] }',
    '  web: services/web',
    'oauth: { convention: "GOOGLE_OAUTH_CLIENT_{KIND}_{ENV}" }',
    'envAccessors: [settings.require, env.str]',
    'ignore: ["legacy/**"]',
    'include: ["build/deploy/**"]',
    'skipDirs: [node_modules, .git, .venv]',
    'maxFileBytes: 1048576',
    'runtimeProvided: [SOME_VAR]',
  ].join('\n');
  for (const [text, name] of [[full, CFG], ['', CFG], ['# only a comment\n', CFG], ['environments: [qa, uat]\n', CFG], ['{"rules": {"placeholder-secret": "warning"}}', '.deploy-preflight.json']]) {
    const { problems, config } = parseConfig(text, name);
    assert.deepEqual(problems, [], text);
    if (text === full) {
      assert.deepEqual(config.include, ['build/deploy/**']);
      assert.deepEqual(config.skipDirs, ['node_modules', '.git', '.venv']);
      assert.deepEqual(config.services.web, { root: 'services/web', deploys: undefined, names: undefined });
      assert.equal(config.rules['unused-suppression'], 'off');
    }
  }
});

test('the documented configurations are valid: the README and docs/configuration.md examples', () => {
  for (const doc of ['README.md', 'docs/configuration.md']) {
    const md = fs.readFileSync(path.join(REPO, doc), 'utf8');
    const blocks = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /^(rules|services|environments|include|skipDirs):/m.test(b));
    assert.ok(blocks.length > 0, `${doc} shows a configuration`);
    for (const b of blocks) assert.deepEqual(parseConfig(b, CFG).problems, [], `${doc}:\n${b}`);
  }
});

test('the JSON Schema: a valid draft-07 schema, one property per rule the engine runs, the default skip list, SchemaStore-ready', () => {
  const ajv = new Ajv({ strict: false });
  assert.ok(ajv.validateSchema(CONFIG_SCHEMA), JSON.stringify(ajv.errors));
  const file: any = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'deploy-preflight.schema.json'), 'utf8'));
  assert.deepEqual(JSON.parse(JSON.stringify(file)), JSON.parse(JSON.stringify(CONFIG_SCHEMA)), 'the engine validates with the published file');
  assert.deepEqual(Object.keys(file.properties.rules.properties).sort(), ruleCatalog().map((r) => r.id).sort());
  for (const r of ruleCatalog()) assert.match(file.properties.rules.properties[r.id].description, new RegExp(`\\(default: ${r.defaultSeverity}\\)`), r.id);
  assert.deepEqual(file.properties.skipDirs.default, [...DEFAULT_SKIP_DIRS]);
  assert.equal(file.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.match(file.$id, /^https:\/\//);
  for (const [k, v] of Object.entries(file.properties as Record<string, { description?: string }>)) assert.ok(v.description, `${k} has a description`);
  // The extension contributes it for both file kinds.
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const url = './schemas/deploy-preflight.schema.json';
  assert.deepEqual(manifest.contributes.yamlValidation, [{ fileMatch: ['.deploy-preflight.yaml', '.deploy-preflight.yml'], url }]);
  assert.deepEqual(manifest.contributes.jsonValidation, [{ fileMatch: '.deploy-preflight.json', url }]);
});

test('did you mean: near misses only', () => {
  assert.equal(nearest('rule', ['rules', 'ignore']), 'rules');
  assert.equal(nearest('Rules', ['rules']), 'rules');
  assert.equal(nearest('warn', ['off', 'info', 'warning', 'error']), 'warning');
  assert.equal(nearest('envAccesors', ['envAccessors', 'environments']), 'envAccessors');
  assert.equal(nearest('jwt-secret-divergance', ruleCatalog().map((r) => r.id)), 'jwt-secret-divergence');
  assert.equal(nearest('plugins', ['rules', 'ignore', 'include', 'services']), undefined);
  assert.equal(nearest('x', ['rules']), undefined);
});

test('build output folders: skipped by default, brought back by include or skipDirs, and read when named', async () => {
  const PROD = 'build/deploy-ledger-production.sh';
  const files = async (repo: string, ...args: string[]) => new Set((JSON.parse((await cli(['.', '--format', 'json', ...args], { cwd: repo })).out) as JsonReport).findings.flatMap((f) => [f.file, ...f.related.map((r) => r.file)]));

  const plain = fixtureRepo('skip-default');
  assert.ok(!(await files(plain)).has(PROD), 'build/ is skipped by default');
  const explain = await cli(['.', '--explain'], { cwd: plain });
  assert.match(explain.out, /Folders skipped by name[^\n]*\n(?: {2}\S+\n)* {2}build\//, 'and --explain says so');

  const included = fixtureRepo('skip-include');
  write(included, CFG, 'include: ["build/*.sh"]\n');
  assert.ok((await files(included)).has(PROD), 'include reads it');

  const replaced = fixtureRepo('skip-replaced');
  write(replaced, CFG, 'skipDirs: [node_modules, .git]\n');
  assert.ok((await files(replaced)).has(PROD), 'a skip list without build reads it');

  const named = fixtureRepo('skip-named');
  const r = await cli(['.', PROD, '--format', 'json'], { cwd: named });
  const json = JSON.parse(r.out) as JsonReport;
  assert.ok(json.findings.length > 0 && json.findings.every((f) => f.file === PROD), r.out);
});

test('a run that checked nothing says so and exits 2: an empty folder, a folder of other files, a named file of another kind', async () => {
  const empty = path.join(tempDir(), 'empty');
  fs.mkdirSync(empty, { recursive: true });
  const r1 = await cli([empty]);
  assert.equal(r1.code, 2);
  assert.match(r1.err, /nothing to check in /);
  assert.doesNotMatch(r1.out, /no problems found/);

  const docs = path.join(tempDir(), 'docs-only');
  write(docs, 'README.md', '# hello\n');
  write(docs, 'node_modules/pkg/deploy.sh', 'gcloud run deploy x --source .\n');
  const r2 = await cli([docs]);
  assert.equal(r2.code, 2);
  assert.match(r2.err, /nothing to check in .*\(skipped folders: node_modules;/);

  const repo = fixtureRepo('named-readme');
  write(repo, 'README.md', '# ledger\n');
  const r3 = await cli(['README.md'], { cwd: repo });
  assert.equal(r3.code, 2);
  assert.match(r3.err, /README\.md: not checked: not a kind of file deploy-preflight reads/);
  // One named file unreadable among others: said, and the run goes on.
  // (The deploy file: a missing variable is reported where it goes, the read being related.)
  const r4 = await cli(['README.md', 'cloudbuild.staging.yaml', '--format', 'json'], { cwd: repo });
  assert.equal(r4.code, 1);
  assert.match(r4.err, /README\.md: not checked/);
});

test('--print-config: the effective configuration, every rule with its severity', async () => {
  const repo = fixtureRepo('print-config', { under: 'infra' });
  write(repo, `infra/${CFG}`, 'rules:\n  placeholder-secret: warning\ninclude: ["build/*.sh"]\n');
  const r = await cli(['infra', '--print-config'], { cwd: repo });
  assert.equal(r.code, 0, r.err);
  const cfg = JSON.parse(r.out);
  assert.equal(cfg.configFile, `infra/${CFG}`);
  assert.equal(cfg.workspace, 'infra');
  assert.equal(cfg.rules['placeholder-secret'], 'warning');
  assert.equal(cfg.rules['env-unset-for-deploy'], 'error', 'defaults filled in');
  assert.deepEqual(cfg.include, ['build/*.sh']);
  assert.deepEqual(cfg.skipDirs, [...DEFAULT_SKIP_DIRS]);
  write(repo, `infra/${CFG}`, 'rulez: {}\n');
  const bad = await cli(['infra', '--print-config'], { cwd: repo });
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown key "rulez" ignored \(did you mean "rules"\?\)/);
});
