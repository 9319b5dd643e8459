/**
 * env-unset-for-deploy and functions nothing calls: a read inside a function of a module the
 * program loads, where no file of the workspace names that function (a legacy checkout beside
 * the one in use, a config getter nothing asks, a deprecated task a package only re-exports), is
 * no requirement of the deploy. A name anywhere else keeps it: a call, a reference handed to a
 * framework, a string (`getattr`, `app:create_app`), a renaming import. Decorators that register
 * (`@app.get`), subclasses' methods (a framework's to call), names frameworks call by convention
 * and route files keep it too, as does a module that is all its service's code (what runs it may be
 * out of sight). Minimal original reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { lackingNames, type Files } from '../rule-harness';
import { decodeWordFilter, filterMayHold, wordFilterOf } from '../../server/src/extract/word-filter';

before(ready);

/** A FastAPI service the Dockerfile starts (`uvicorn app.main:app`), deployed with nothing set. */
const PY = (tasks: string, extra: Files = {}): Files => ({
  'api/requirements.txt': 'fastapi\nuvicorn\n',
  'api/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["uvicorn", "app.main:app"]\n',
  'api/app/__init__.py': '',
  'api/app/main.py': 'from fastapi import FastAPI\nfrom app import tasks\napp = FastAPI()\n\n@app.get("/")\ndef index():\n    return tasks.summary()\n',
  'api/app/tasks.py': tasks,
  'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy api --source api --project acme-prod --set-env-vars "ENVIRONMENT=production"\n',
  ...extra,
});

const SUMMARY = 'def summary():\n    return {"key": os.environ["SUMMARY_KEY"]}\n\n';
const LEGACY = 'def save_to_notion(page):\n    return os.environ["NOTION_PAGE_ID"]\n';
const TASKS = `import os\n\n${SUMMARY}${LEGACY}`;

test('Python: quiet for a function nothing names; reported once something names it', async () => {
  assert.deepEqual(await lackingNames(PY(TASKS)), ['SUMMARY_KEY']);
  const named: [string, Files][] = [
    ['a call in another module', { 'api/app/jobs.py': 'from app.tasks import save_to_notion\nsave_to_notion(1)\n' }],
    ['a call in the same module', { 'api/app/tasks.py': `${TASKS}\nsave_to_notion(None)\n` }],
    ['a reference handed on', { 'api/app/hooks.py': 'from app import tasks\nHANDLERS = [tasks.save_to_notion]\n' }],
    ['a string a loader resolves', { 'api/app/hooks.py': 'HANDLER = "app.tasks:save_to_notion"\n' }],
    ['an import that renames it', { 'api/app/hooks.py': 'from app.tasks import save_to_notion as notion\nnotion(1)\n' }],
    ['a deploy file naming it', { 'cloudbuild.yaml': 'steps:\n  - name: gcr.io/cloud-builders/gcloud\n    args: ["functions", "deploy", "x", "--entry-point", "save_to_notion"]\n' }],
  ];
  for (const [how, extra] of named) assert.deepEqual(await lackingNames(PY(TASKS, extra)), ['NOTION_PAGE_ID', 'SUMMARY_KEY'], how);
});

test('Python: importing or exporting a function calls nothing; a test calling it makes no deploy run it', async () => {
  const quiet: [string, Files][] = [
    ["a package's re-export", { 'api/app/__init__.py': 'from .tasks import save_to_notion  # deprecated\n__all__ = [\n    "save_to_notion",\n]\n' }],
    ['a parenthesised import over lines', { 'api/app/jobs.py': 'from app.tasks import (\n    summary,\n    save_to_notion,\n)\n\nsummary()\n' }],
    ['a test', { 'api/tests/test_tasks.py': 'from app.tasks import save_to_notion\n\ndef test_it():\n    assert save_to_notion(1)\n' }],
  ];
  for (const [how, extra] of quiet) assert.deepEqual(await lackingNames(PY(TASKS, extra)), ['SUMMARY_KEY'], how);
});

test('Python: what a framework or the language may call without a name stays reported', async () => {
  const kept: [string, string][] = [
    ['a registering decorator', `import os\nfrom celery import shared_task\n\n${SUMMARY}@shared_task\ndef save_to_notion(page):\n    return os.environ["NOTION_PAGE_ID"]\n`],
    ["a subclass's method", `import os\nfrom django.core.management.base import BaseCommand\n\n${SUMMARY}class Command(BaseCommand):\n    def save_to_notion(self):\n        return os.environ["NOTION_PAGE_ID"]\n`],
    ['a conventional name (an app factory a Procfile starts)', `import os\n\n${SUMMARY}def create_app():\n    return os.environ["NOTION_PAGE_ID"]\n`],
    ['a nested function', `import os\n\n${SUMMARY}def outer():\n    def save_to_notion():\n        return os.environ["NOTION_PAGE_ID"]\n    return save_to_notion\n`],
  ];
  for (const [how, tasks] of kept) assert.deepEqual(await lackingNames(PY(tasks)), ['NOTION_PAGE_ID', 'SUMMARY_KEY'], how);
  // A static method of a plain class nothing calls: quiet, like a function.
  const getter = `import os\n\n${SUMMARY}class EnvironmentConfig:\n    @staticmethod\n    def get_database_url():\n        return os.environ["NOTION_PAGE_ID"]\n`;
  assert.deepEqual(await lackingNames(PY(getter)), ['SUMMARY_KEY']);
});

test('Python: where no known program loads the module, a function nothing names is dead unless the module is all the service has', async () => {
  const unknown = { 'api/Dockerfile': 'FROM python:3.12-slim\nCOPY . .\nCMD ["./start.sh"]\n' };
  // main.py calls tasks.summary(): the service uses the module, and save_to_notion stays uncalled.
  assert.deepEqual(await lackingNames(PY(TASKS, unknown)), ['SUMMARY_KEY']);
  // Nothing of the service uses the module (a getter module nothing imports, kept beside the
  // code that runs): a function nothing names is as dead there.
  const unused = { ...unknown, 'api/app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n' };
  assert.deepEqual(await lackingNames(PY(TASKS, unused)), []);
  // Something naming the function, even in a script the image runs, keeps it.
  assert.deepEqual(await lackingNames(PY(TASKS, { ...unused, 'api/start.sh': '#!/bin/sh\npython -c "from app.tasks import summary; summary()"\n' })), ['SUMMARY_KEY']);
  // Whether anything names the function is asked of the whole workspace, which errs towards
  // called: a call of a same-named function in another service keeps this one.
  const elsewhere = { ...unused, 'worker/requirements.txt': 'celery\n', 'worker/jobs.py': 'def summary():\n    return 1\n\nsummary()\n' };
  assert.deepEqual(await lackingNames(PY(TASKS, elsewhere)), ['SUMMARY_KEY']);
  // The module is the service's only code: what runs it may be out of sight (a one-file service
  // started by a name the workspace does not hold), so its functions keep their reads.
  const alone: Files = Object.fromEntries(Object.entries(PY(TASKS, unknown)).filter(([f]) => f !== 'api/app/main.py' && f !== 'api/app/__init__.py'));
  assert.deepEqual(await lackingNames(alone), ['NOTION_PAGE_ID', 'SUMMARY_KEY']);
});

test('Python: a helper only an uncalled dispatcher of its module calls is uncalled too, until something names the dispatcher', async () => {
  const DISPATCH = `import os\n\n${SUMMARY}def send_sms_twilio(body):\n    return os.getenv("TWILIO_FROM") or _fail()\n\ndef _fail():\n    raise RuntimeError("x")\n\ndef notify_sms(body, method="twilio"):\n    if method == "twilio":\n        return send_sms_twilio(body)\n    return None\n`;
  const twilio = DISPATCH.replace('os.getenv("TWILIO_FROM") or _fail()', 'os.environ["TWILIO_FROM"]');
  assert.deepEqual(await lackingNames(PY(twilio)), ['SUMMARY_KEY']);
  // Another module calling the dispatcher makes the helper run.
  assert.deepEqual(await lackingNames(PY(twilio, { 'api/app/jobs.py': 'from app.tasks import notify_sms\nnotify_sms("hi")\n' })), ['SUMMARY_KEY', 'TWILIO_FROM']);
  // So does a call at the module's top level, or a second caller something names.
  assert.deepEqual(await lackingNames(PY(`${twilio}\nnotify_sms("boot")\n`)), ['SUMMARY_KEY', 'TWILIO_FROM']);
  assert.deepEqual(await lackingNames(PY(twilio.replace('    return {"key"', '    send_sms_twilio("x")\n    return {"key"'))), ['SUMMARY_KEY', 'TWILIO_FROM']);
  // Functions calling only each other are dead together; a recursive one is kept (a name may
  // reach it that the file cannot show).
  const pair = `import os\n\n${SUMMARY}def ping(n):\n    return pong(n) + os.environ["PING_KEY"]\n\ndef pong(n):\n    return ping(n - 1) if n else 0\n`;
  assert.deepEqual(await lackingNames(PY(pair)), ['SUMMARY_KEY']);
  const recursive = `import os\n\n${SUMMARY}def walk(n):\n    return walk(n - 1) if n else os.environ["WALK_KEY"]\n`;
  assert.deepEqual(await lackingNames(PY(recursive)), ['SUMMARY_KEY', 'WALK_KEY']);
});

/** A Node service (`node server.js`) loading billing.js, deployed with nothing set. */
const TS = (billing: string, extra: Files = {}): Files => ({
  'web/package.json': '{ "name": "web", "scripts": { "start": "node server.js" } }\n',
  'web/Dockerfile': 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n',
  'web/server.js': "const { plans } = require('./billing');\nrequire('http').createServer((q, s) => s.end(JSON.stringify(plans()))).listen(8080);\n",
  'web/billing.js': billing,
  'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy web --source web --project acme-prod --set-env-vars "NODE_ENV=production"\n',
  ...extra,
});

const BILLING = `function plans() {
  return [process.env.PRICE_PRO];
}

function createCheckoutSession(tier) {
  const price = process.env.PRICE_PLUS_MONTHLY;
  if (!price) throw new Error('no price');
  return price;
}

module.exports = { plans };
`;

test('TypeScript / JavaScript: quiet for a function nothing names; reported once something names it', async () => {
  assert.deepEqual(await lackingNames(TS(BILLING)), ['PRICE_PRO']);
  assert.deepEqual(await lackingNames(TS(BILLING.replace('{ plans }', '{ plans, createCheckoutSession }'))), ['PRICE_PLUS_MONTHLY', 'PRICE_PRO']);
  assert.deepEqual(await lackingNames(TS(BILLING, { 'web/checkout.js': "const b = require('./billing');\nb.createCheckoutSession('plus');\n" })), ['PRICE_PLUS_MONTHLY', 'PRICE_PRO']);
  // An arrow function bound at the top level is one too.
  const arrow = BILLING.replace('function createCheckoutSession(tier) {', 'const createCheckoutSession = (tier) => {').replace("  return price;\n}\n", '  return price;\n};\n');
  assert.deepEqual(await lackingNames(TS(arrow)), ['PRICE_PRO']);
  // An import statement alone calls nothing.
  const imported = { 'web/checkout.mjs': "import {\n  createCheckoutSession,\n} from './billing.js';\nexport const x = 1;\n" };
  assert.deepEqual(await lackingNames(TS(BILLING, imported)), ['PRICE_PRO']);
});

test('TypeScript / JavaScript: a helper only uncalled functions of its module call is uncalled too', async () => {
  const helper = BILLING.replace('  const price = process.env.PRICE_PLUS_MONTHLY;', '  const price = priceOf(tier);') +
    '\nconst priceOf = (tier) => process.env.PRICE_PLUS_MONTHLY;\n';
  assert.deepEqual(await lackingNames(TS(helper)), ['PRICE_PRO']);
  assert.deepEqual(await lackingNames(TS(helper, { 'web/checkout.js': "const b = require('./billing');\nb.createCheckoutSession('plus');\n" })), ['PRICE_PLUS_MONTHLY', 'PRICE_PRO']);
  // Called from a function the module exports: it runs.
  assert.deepEqual(await lackingNames(TS(helper.replace('  return [process.env.PRICE_PRO];', '  return [process.env.PRICE_PRO, priceOf(1)];'))), ['PRICE_PLUS_MONTHLY', 'PRICE_PRO']);
});

test('TypeScript / JavaScript: a module constant only uncalled functions use holds no requirement', async () => {
  const held = BILLING.replace('  const price = process.env.PRICE_PLUS_MONTHLY;', '  const price = PRICES[tier];') +
    '\nconst PRICES = {\n  plus: process.env.PRICE_PLUS_MONTHLY,\n};\n';
  assert.deepEqual(await lackingNames(TS(held)), ['PRICE_PRO']);
  const kept: [string, string | Files][] = [
    ['something names the function', { 'web/checkout.js': "const b = require('./billing');\nb.createCheckoutSession('plus');\n" }],
    ['another file imports the constant', { 'web/checkout.js': "const { PRICES } = require('./billing');\nif (!PRICES.plus) throw new Error('x');\n" }],
    ['a called function uses it too', held.replace('  return [process.env.PRICE_PRO];', '  if (!PRICES.plus) throw new Error("x");\n  return [process.env.PRICE_PRO];')],
    ['the module uses it at its top level', `${held}if (!PRICES.plus) throw new Error('x');\n`],
  ];
  for (const [how, extra] of kept) {
    const files = typeof extra === 'string' ? TS(extra) : TS(held, extra);
    assert.deepEqual(await lackingNames(files), ['PRICE_PLUS_MONTHLY', 'PRICE_PRO'], how);
  }
});

test('TypeScript / JavaScript: a called function naming another member of the constant does not use the read', async () => {
  const tiers = BILLING.replace('  const price = process.env.PRICE_PLUS_MONTHLY;', '  const price = PRICES[tier].monthly;') +
    "\nconst PRICES = {\n  plus: { monthly: process.env.PRICE_PLUS_MONTHLY },\n  'pro': { monthly: process.env.PRICE_PRO },\n};\n";
  const calledUses = (use: string): string => tiers.replace('  return [process.env.PRICE_PRO];', `  if (!${use}) throw new Error("x");\n  return [process.env.PRICE_PRO];`);
  // `PRICES.pro.monthly` and `PRICES['pro']` on a called path: PRICE_PRO is needed, PRICE_PLUS_MONTHLY is not.
  assert.deepEqual(await lackingNames(TS(calledUses('PRICES.pro.monthly'))), ['PRICE_PRO']);
  assert.deepEqual(await lackingNames(TS(calledUses("PRICES['pro']"))), ['PRICE_PRO']);
  // A member the code picks at run time, the same member, or the whole constant may be the read.
  for (const use of ['PRICES[kind].monthly', 'PRICES.plus.monthly', 'PRICES.plus', 'Object.keys(PRICES).length']) {
    assert.deepEqual(await lackingNames(TS(calledUses(use))), ['PRICE_PLUS_MONTHLY', 'PRICE_PRO'], use);
  }
});

test('TypeScript / JavaScript: a function only uncalled functions of other modules use is uncalled too, however many modules deep', async () => {
  // storage.ts: the read sits in a helper of an exported upload; sessions.ts uses the upload only
  // inside closeSession; an index re-exports closeSession; nothing calls it.
  const storage = "export function client() {\n  const k = process.env.BUCKET_KEY;\n  if (!k) throw new Error('no key');\n  return k;\n}\n\nexport async function upload(id: string): Promise<string> {\n  return client() + id;\n}\n";
  const sessions = (close: string): string => `import { upload } from './storage';\nimport { plans } from './billing';\n\n/** closeSession(id) uploads the recording. */\n${close}\n`;
  const CLOSE = 'export async function closeSession(\n  id: string,\n): Promise<{ ok: boolean }> {\n  await upload(id);\n  return { ok: true };\n}';
  const chain = (close: string, extra: Files = {}): Files => TS(BILLING, {
    'web/storage.ts': storage,
    'web/sessions.ts': sessions(close),
    // The program loads every module here (a module nothing loads is no service's code anyway).
    'web/server.js': "const { plans } = require('./billing');\nrequire('./index');\nrequire('http').createServer((q, s) => s.end(JSON.stringify(plans()))).listen(8080);\n",
    'web/index.ts': "export { closeSession } from './sessions';\nexport { upload } from './storage';\nimport './jobs';\nimport './cron';\nimport './app/api/close/route';\n",
    ...extra,
  });
  assert.deepEqual(await lackingNames(chain(CLOSE)), ['PRICE_PRO']);
  // Through an arrow function, and one more module deep.
  const arrow = 'export const closeSession = async (id: string) => {\n  await upload(id);\n};';
  assert.deepEqual(await lackingNames(chain(arrow)), ['PRICE_PRO']);
  const deeper = { 'web/jobs.ts': "import { closeSession } from './sessions';\n\nexport function sweep(ids: string[]) {\n  for (const id of ids) closeSession(id);\n}\n" };
  assert.deepEqual(await lackingNames(chain(CLOSE, deeper)), ['PRICE_PRO']);
  // Whatever runs it keeps the read: a call at a module's top level, a call in a function something
  // names, a reference handed on, an object that exports it, a route file, a file that is no function's.
  const kept: [string, Files | string][] = [
    ['a top-level call', { 'web/jobs.ts': "import { closeSession } from './sessions';\ncloseSession('x');\n" }],
    ['a named caller', { ...deeper, 'web/cron.ts': "import { sweep } from './jobs';\nsetInterval(() => sweep([]), 1000);\n" }],
    ['a reference handed on', { 'web/jobs.ts': "import { closeSession } from './sessions';\nexport const handlers = [closeSession];\n" }],
    ['a route file', { 'web/app/api/close/route.ts': "import { closeSession } from '../../../sessions';\nexport async function POST(req: Request) {\n  await closeSession('x');\n}\n" }],
    ['an object exporting it', sessions(CLOSE) + 'export const service = { closeSession };\n'],
    ['a class method', { 'web/jobs.ts': "import { closeSession } from './sessions';\nexport class Jobs {\n  run() { return closeSession('x'); }\n}\n" }],
    ['a default export', { 'web/jobs.ts': "import { closeSession } from './sessions';\nexport default function run() {\n  return closeSession('x');\n}\n" }],
    ['a parameter list holding braces', { 'web/jobs.ts': "import { closeSession } from './sessions';\nexport function run({ id }: { id: string }) {\n  return closeSession(id);\n}\nrun({ id: 'x' });\n" }],
    ['a return type holding braces', { 'web/jobs.ts': "import { closeSession } from './sessions';\nexport function run(): { id: string } {\n  closeSession('x');\n  return { id: 'x' };\n}\n" }],
  ];
  for (const [how, extra] of kept) {
    const files = typeof extra === 'string' ? { ...chain(CLOSE), 'web/sessions.ts': extra } : chain(CLOSE, extra);
    assert.deepEqual(await lackingNames(files), ['BUCKET_KEY', 'PRICE_PRO'], how);
  }
});

test('TypeScript / JavaScript: what a framework calls by convention or decorator stays reported', async () => {
  const kept: [string, string][] = [
    ['a conventional export (a route handler)', BILLING.replace('function createCheckoutSession(tier)', 'export function POST(tier)')],
    ['a decorated class', `${BILLING}\n@Injectable()\nclass Checkout {\n  legacyKey() { return process.env.LEGACY_KEY; }\n}\n`],
    ['a class extending another', `${BILLING}\nclass Checkout extends Base {\n  legacyKey() { const k = process.env.LEGACY_KEY; if (!k) throw new Error('x'); return k; }\n}\n`],
    ['the default export', BILLING.replace('function createCheckoutSession(tier)', 'export default function createCheckoutSession(tier)')],
  ];
  for (const [how, billing] of kept) {
    const names = await lackingNames(TS(billing));
    assert.ok(names.length > 1, `${how}: ${names.join(', ')}`);
  }
});

test('the word index: words outside imports, each asked exactly; a word no file holds is not found', () => {
  const py = decodeWordFilter(wordFilterOf('from .notion_task import save_to_notion\nimport legacy_mod\nresult = summary(page_id)\n', 'python'));
  assert.equal(filterMayHold(py, 'summary'), true);
  assert.equal(filterMayHold(py, 'page_id'), true);
  assert.equal(filterMayHold(py, 'save_to_notion'), false);
  assert.equal(filterMayHold(py, 'legacy_mod'), false);
  const ts = decodeWordFilter(wordFilterOf("import { a as b, createSession } from './x';\nexport { helper } from './y';\nrun(createOrder);\n", 'typescript'));
  // A renaming import keeps its whole statement: the new name is how it is called.
  assert.equal(filterMayHold(ts, 'createSession'), true);
  assert.equal(filterMayHold(ts, 'helper'), false);
  assert.equal(filterMayHold(ts, 'createOrder'), true);
  // Every word of a large file is found, and words it lacks are not.
  const words = Array.from({ length: 5000 }, (_, i) => `word_${i}_x`);
  const big = decodeWordFilter(wordFilterOf(words.join(' + '), 'python'));
  assert.ok(words.every((w) => filterMayHold(big, w)));
  assert.equal(Array.from({ length: 5000 }, (_, i) => `other_${i}_y`).filter((w) => filterMayHold(big, w)).length, 0);
});

test('the word index: a comment line names nothing (a call commented out, a usage example); a comment after code keeps the line\'s words', () => {
  const py = decodeWordFilter(wordFilterOf('import os\n\n# setup_telemetry()\n    # legacy_hook(1)\nrun_server(port)  # see notify_admins\n', 'python'));
  assert.equal(filterMayHold(py, 'setup_telemetry'), false);
  assert.equal(filterMayHold(py, 'legacy_hook'), false);
  assert.equal(filterMayHold(py, 'run_server'), true);
  assert.equal(filterMayHold(py, 'notify_admins'), true);
  const ts = decodeWordFilter(wordFilterOf([
    '// closeSession(id);',
    '/**',
    ' * Example: await uploadRecording(id);',
    ' */',
    '/* archiveOld() */',
    '/* keepThis */ startWorker();',
    'const total = base',
    '  * multiplier;',
    'export const x = 1; // trailingNote',
  ].join('\n'), 'typescript'));
  for (const w of ['closeSession', 'uploadRecording', 'Example', 'archiveOld']) assert.equal(filterMayHold(ts, w), false, w);
  for (const w of ['startWorker', 'keepThis', 'multiplier', 'trailingNote']) assert.equal(filterMayHold(ts, w), true, w);
});

test('Python: a function another module names only in a commented-out call is uncalled', async () => {
  assert.deepEqual(await lackingNames(PY(TASKS, { 'api/app/hooks.py': 'from app import tasks\n\n# tasks.save_to_notion(1)\n' })), ['SUMMARY_KEY']);
  assert.deepEqual(await lackingNames(PY(TASKS, { 'api/app/hooks.py': 'from app import tasks\n\ntasks.save_to_notion(1)  # for now\n' })), ['NOTION_PAGE_ID', 'SUMMARY_KEY']);
});

test('the word index never skips past an import statement it does not recognise the end of', () => {
  // `import x = require(...)` ends on its line: the call on the next line is a word.
  const eq = decodeWordFilter(wordFilterOf("import billing = require('./billing');\nbilling.createCheckoutSession();\nconst from = 1;\n", 'typescript'));
  assert.equal(filterMayHold(eq, 'createCheckoutSession'), true);
  // An opening parenthesis never closed near: only its own line is left out.
  const open = decodeWordFilter(wordFilterOf(`from app.tasks import (summary,\n${'x = 1\n'.repeat(3000)}save_to_notion()\n)\n`, 'python'));
  assert.equal(filterMayHold(open, 'save_to_notion'), true);
});
