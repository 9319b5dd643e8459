/**
 * The byte-level prefilters only decide which files reach a parser: the facts of every file must
 * be the same with them and without them. Small original snippets of each kind of fact (and of
 * the look-alikes the prefilters exist to skip); scripts/prefilter-check.ts does the same over
 * whole real trees.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { extractFile } from '../../server/src/extract/index';
import { prefilters } from '../../server/src/extract/prefilters';
import { pythonCodeMayMatter } from '../../server/src/extract/python/index';
import { mayHoldTypeScriptFacts } from '../../server/src/extract/typescript/index';
import { defaultExtractOptions } from '../../server/src/extract/options';
import { ready } from '../helpers';

before(ready);
after(() => {
  prefilters.enabled = true;
});

function both(file: string, text: string, envAccessors: string[] = []): void {
  const options = { envAccessors, environments: {} };
  prefilters.enabled = true;
  const on = extractFile(file, text, options);
  prefilters.enabled = false;
  const off = extractFile(file, text, options);
  prefilters.enabled = true;
  assert.deepEqual(on, off, `${file}: facts differ with the prefilters`);
}

const PYTHON: Record<string, string> = {
  'environ subscript': 'import os\nKEY = os.environ["BILLING_KEY"]\n',
  'getenv default': 'from os import getenv\nREGION = getenv("REGION", "eu")\n',
  'aliased environ': 'from os import environ as E\nTOKEN = E["TOKEN"]\n',
  'wrapper name': 'class Conf:\n    def __init__(self, env):\n        self._env = env\n    def port(self):\n        return self._env.get("PORT")\n',
  'inferred accessor': 'import os\n\ndef need(name):\n    v = os.environ.get(name)\n    if v is None:\n        raise RuntimeError(name)\n    return v\n\ndef start():\n    return need("QUEUE_URL")\n',
  'module value used in a plain function': 'import os\nDSN = os.getenv("WAREHOUSE_DSN")\n\ndef open_it(lib):\n    return lib.connect(DSN)\n',
  'decouple': 'from decouple import config\nDEBUG = config("DEBUG", default=False)\n',
  'imported accessor call': 'from core.env import env_str\nBUCKET = env_str("BUCKET_NAME", "")\n',
  'imported accessor call through its module': 'from core import env\nBUCKET = env.env_str("BUCKET_NAME")\n',
  // A call of an imported function not named for the environment: not admitted, and recorded neither way.
  'imported call of another name': 'from core.settings import setting\nBUCKET = setting("BUCKET_NAME")\n',
  'pydantic settings': 'from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    api_token: str\n',
  'enum and a state comparison': 'from enum import Enum\nclass Phase(Enum):\n    OPEN = 1\n    SHUT = 2\n\ndef ready(door):\n    return door.phase_state == Phase.OPEN\n',
  'state compared with another file\'s enum': 'def go(job):\n    if job.status == JobStatus.DONE:\n        return 1\n',
  'postgres url': 'URL = "postgresql://u@/db?host=/cloudsql/p:r:i&sslmode=require"\n',
  'scheme rewrite': 'def fix(u):\n    return u.replace("postgresql://", "postgresql+asyncpg://")\n',
  'driver': 'import asyncpg\nasync def go(u):\n    return await asyncpg.connect(u, ssl="require")\n',
  'secret manager gate': 'from google.cloud import secretmanager\ndef load(pid):\n    return secretmanager.SecretManagerServiceClient() if pid else None\n',
  'deploy script': 'import subprocess\nsubprocess.run(["gcloud", "run", "deploy", "api", "--set-env-vars", "A=1"])\n',
  'env loader': 'from dotenv import load_dotenv\nload_dotenv("/conf/app.env")\n',
  'run overrides': 'from google.cloud import run_v2\nE = [run_v2.EnvVar(name="TASK_ID", value="1")]\n',
  'rest overrides': 'BODY = {"overrides": {"containerOverrides": [{"env": [{"name": "TASK_ID", "value": "1"}]}]}}\n',
  // triggers narrowed in the seventh session: what each must still admit
  'wrapper name in a script with a shebang': '#!/usr/bin/env python3\ndef port(env):\n    return env.get("PORT")\n',
  'read in an f-string line that looks like a comment': 'def banner(env):\n    return f"""\n# {env.get("TITLE")}\n"""\n',
  'postgres url on a # line of a string': 'DOC = """\n# postgresql://u@/db?host=/cloudsql/p:r:i&sslmode=require\n"""\n',
  'property named state': 'class Job:\n    @property\n    def state(self):\n        return self._s\n',
  'getter named get_status': 'class Job:\n    async def get_status(self):\n        return self._s\n',
  'enum member compared on the left': 'def go(job):\n    return JobStatus.DONE == job.status\n',
  'state in a tuple over lines': 'def go(job):\n    return job.status in (\n        JobStatus.A,\n        JobStatus.B,\n    )\n',
  'state compared over a line continuation': 'def go(job):\n    return job.status \\\n        == JobStatus.DONE\n',
  'state is not a member': 'def go(door):\n    return door.state is not Phase.OPEN\n',
  // ... and the look-alikes each now skips
  'shebang and env in comments only': '#!/usr/bin/env python3\n"""Prints a report."""\n# reads nothing from the env\nprint("ok")\n',
  'state-named helpers that are no getters': 'class Store:\n    def save_state(self, s):\n        self._s = s\n\ndef get_status():\n    return 1\n',
  'state module import and a state assignment': 'from app.state import Holder\n\ndef done(job):\n    job.status = JobStatus.DONE\n    return Holder.DEFAULT\n',
  // look-alikes: words every Python file has; no facts, and the prefilter skips them
  'dict get, connect, replace': 'def f(d, sock, s):\n    sock.connect(d.get("host"))\n    return s.replace("a", "b")\n',
  'status code': 'def ok(resp):\n    return resp.status_code == 200\n',
  'venv and envelope words': '# run inside the venv\ndef envelope(x):\n    return {"envelope": x}\n',
};

const TYPESCRIPT: Record<string, string> = {
  'imported accessor call, no lower-case env': "import { requireEnv } from './config';\nexport const key = requireEnv('STRIPE_KEY');\n",
  'inferred accessor and its call': "export function requireEnv(name: string) {\n  const v = process.env[name];\n  if (!v) throw new Error(name);\n  return v;\n}\nexport const key = requireEnv('STRIPE_KEY');\n",
  // A call of an imported function with nothing to admit the file: recorded neither way.
  'imported call of another name': "import { lookup } from './table';\nexport const key = lookup('STRIPE_KEY');\n",
  'process.env': 'export const port = process.env.PORT ?? "8080";\n',
  'import.meta.env': 'export const api = import.meta.env.VITE_API_URL;\n',
  'destructured env': 'const { env } = process;\nexport const k = env.KEY!;\n',
  'enum and a state getter': 'export enum Light { On, Off }\nexport class Lamp { get state(): Light { return Light.On; } }\n',
  'as const object': 'export const Mode = { A: "a", B: "b" } as const;\n',
  'frozen object': 'export const Mode = Object.freeze({ A: "a", B: "b" });\n',
  'pg module': 'import { Pool } from "pg";\nexport const p = new Pool({ ssl: true });\n',
  'state comparison': 'export function busy(m: { status: string }) { return m.status === Kind.BUSY; }\n',
  'optional parameters of an exported function that reads the environment': 'export function ask(q: string, model?: string) { return [q, model || process.env.MODEL]; }\n',
  'a validated environment field gating Secret Manager': "import { SecretManagerTokenStore, FileTokenStore } from './stores';\nexport function store(config: { GOOGLE_CLOUD_PROJECT?: string }) {\n  if (typeof config.GOOGLE_CLOUD_PROJECT === 'string') return new SecretManagerTokenStore();\n  return new FileTokenStore();\n}\n",
  // look-alikes
  'http status call': 'export function h(res: any) { res.status(404).send("no"); }\n',
  'react state': 'import { useState } from "react";\nexport function C() { const [v, setV] = useState(0); return v; }\n',
  'environment word inside a longer word': 'export const environmentLabel = "x";\n',
  // optional parameters are recorded only in files parsed for other facts
  'exported function with optional parameters, nothing else': 'export function pick(a?: string, b = 1) { return a ?? b; }\n',
};

test('Python facts are the same with and without the prefilters', () => {
  for (const [name, text] of Object.entries(PYTHON)) both(`svc/${name.replace(/\W+/g, '_')}.py`, text);
});

test('TypeScript facts are the same with and without the prefilters', () => {
  for (const [name, text] of Object.entries(TYPESCRIPT)) both(`web/${name.replace(/\W+/g, '_')}.ts`, text);
});

test('a configured accessor is a trigger, as a whole word', () => {
  const text = 'def f(cfg):\n    return cfg.require("SIGNING_KEY")\n';
  both('svc/acc.py', text, ['cfg.require']);
  assert.equal(pythonCodeMayMatter(text, { envAccessors: ['cfg.require'] }), true);
  assert.equal(pythonCodeMayMatter(text, defaultExtractOptions), false);
  assert.equal(pythonCodeMayMatter('def f(x):\n    return x.requirements\n', { envAccessors: ['cfg.require'] }), false);
});

test('the Python prefilter passes what can hold a fact and skips the common look-alikes', () => {
  const pass = ['environ subscript', 'aliased environ', 'inferred accessor', 'decouple', 'pydantic settings', 'enum and a state comparison',
    "state compared with another file's enum", 'postgres url', 'scheme rewrite', 'driver', 'secret manager gate'];
  for (const name of pass) assert.equal(pythonCodeMayMatter(PYTHON[name]!, defaultExtractOptions), true, name);
  for (const name of ['dict get, connect, replace', 'status code', 'venv and envelope words']) {
    assert.equal(pythonCodeMayMatter(PYTHON[name]!, defaultExtractOptions), false, name);
  }
  // `postgres` alone (a comment, a service name) is no URL and no rewrite.
  assert.equal(pythonCodeMayMatter('# talks to postgres through the api\nNAME = "postgres-proxy"\n', defaultExtractOptions), false);
});

test('narrowed Python triggers: comments, state-named methods, state attributes outside comparisons', () => {
  const admitted = ['wrapper name in a script with a shebang', 'read in an f-string line that looks like a comment', 'postgres url on a # line of a string',
    'property named state', 'getter named get_status', 'enum member compared on the left', 'state in a tuple over lines', 'state compared over a line continuation', 'state is not a member'];
  for (const name of admitted) assert.equal(pythonCodeMayMatter(PYTHON[name]!, defaultExtractOptions), true, name);
  for (const name of ['shebang and env in comments only', 'state-named helpers that are no getters', 'state module import and a state assignment']) {
    assert.equal(pythonCodeMayMatter(PYTHON[name]!, defaultExtractOptions), false, name);
  }
  // What each admitted snippet yields: the trigger was worth its parse.
  const facts = (name: string) => extractFile(`svc/${name.replace(/\W+/g, '_')}.py`, PYTHON[name]!);
  assert.deepEqual(facts('wrapper name in a script with a shebang').reads.map((r) => r.name), ['PORT']);
  assert.deepEqual(facts('property named state').accessors.map((a) => a.name), ['state']);
  assert.deepEqual(facts('getter named get_status').accessors.map((a) => a.name), ['get_status']);
  assert.deepEqual(facts('enum member compared on the left').comparisons.map((c) => c.member), ['DONE']);
  assert.deepEqual(facts('state in a tuple over lines').comparisons.map((c) => c.member), ['A', 'B']);
  assert.deepEqual(facts('state is not a member').comparisons.map((c) => c.member), ['OPEN']);
  assert.equal(facts('postgres url on a # line of a string').dbUrls.length, 1);
});

test('the TypeScript prefilter skips HTTP status calls', () => {
  assert.equal(mayHoldTypeScriptFacts(TYPESCRIPT['http status call']!, defaultExtractOptions), false);
  assert.equal(mayHoldTypeScriptFacts(TYPESCRIPT['state comparison']!, defaultExtractOptions), true);
});
