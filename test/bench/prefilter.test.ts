/**
 * The byte-level prefilters decide which code files are parsed at all. `.state` / `.status` alone
 * are weak triggers: HTTP handlers are full of `res.status(404)` and `response.status_code`, which
 * can hold no fact. These cases pin down both sides: what still reaches the parser (and yields
 * the fact it should), and what no longer does.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { mayHoldTypeScriptFacts } from '../../server/src/extract/typescript';
import { pythonCodeMayMatter } from '../../server/src/extract/python/index';
import { extractFile } from '../../server/src/extract/index';
import { defaultExtractOptions } from '../../server/src/extract/options';

before(ready);

const ts = (text: string) => mayHoldTypeScriptFacts(text, defaultExtractOptions);
const py = (text: string) => pythonCodeMayMatter(text, defaultExtractOptions);

test('TypeScript: calls with arguments and longer names do not reach the parser', () => {
  assert.equal(ts('export function nf(req: Request, res: Response) {\n  res.status(404).json({ error: "x" });\n}\n'), false);
  assert.equal(ts('if (r.statusCode === 200) ok(r.statusText);\nres.status( 500 ).end();\n'), false);
  assert.equal(ts('class Cache { get(k: string) { return this.m.get(k); } }\nres.status(201).json(x);\n'), false);
  assert.equal(ts('const x = 1;\n'), false);
});

test('TypeScript: every shape that can become a state fact still reaches the parser', () => {
  assert.equal(ts('if (breaker.status === CircuitState.Open) trip();\n'), true);
  assert.equal(ts('if (b.state() === Phase.Done) go();\nres.status(404);\n'), true);
  assert.equal(ts('switch (job.status) { case Phase.Done: break; }\n'), true);
  assert.equal(ts('if (b?.status == Phase.Done) go();\n'), true);
  assert.equal(ts('const s = x. status;\nres.status(1);\n'), true);
  assert.equal(ts('class Job { status: Phase = Phase.Idle; run() { res.status(200); } }\n'), true);
  assert.equal(ts("class Job { 'state'() { return 1; } go() { res.status(200); } }\n"), true);
  assert.equal(ts('const Phase = Object.freeze({ A: "a", B: "b" });\nres.status(200);\n'), true);
  assert.equal(ts("import { Pool } from 'pg';\nres.status(200);\n"), true);
  assert.equal(ts('if (b.state(/* now */) === Phase.Done) go();\n'), true);
  // Strong triggers are unchanged.
  assert.equal(ts('const u = process.env.DATABASE_URL;\n'), true);
  assert.equal(ts('export enum Phase { A, B }\n'), true);
});

test('TypeScript: a comparison behind a weak trigger is still extracted; a handler yields nothing', () => {
  const cmp = extractFile('src/health.ts', 'export function open(b: Breaker): boolean {\n  return b.status === CircuitState.Open;\n}\n');
  assert.equal(cmp.comparisons.length, 1);
  assert.equal(cmp.comparisons[0].enumName, 'CircuitState');
  const handler = extractFile('src/handlers/order.ts', 'export function nf(req: Request, res: Response): void {\n  res.status(404).json({ error: "not found" });\n}\n');
  assert.equal(handler.comparisons.length + handler.accessors.length + handler.reads.length, 0);
});

test('Python: attributes that only start like state do not reach the parser', () => {
  assert.equal(py('def ok(response):\n    return 200 <= response.status_code < 300\n'), false);
  assert.equal(py('model.load_state_dict(torch.load(p))\nx = obj.statusbar\n'), false);
  assert.equal(py('class Cache:\n    def get(self, k):\n        return self._items.get(k)\n\nr.status_code\n'), false);
});

test('Python: every shape that can become a fact still reaches the parser', () => {
  assert.equal(py('if breaker.state == CircuitState.OPEN:\n    pass\n'), true);
  assert.equal(py('x = r.status_code\nif job.order_status != Phase.DONE:\n    pass\n'), true);
  assert.equal(py('x = r.status_code\nif job . status == Phase.DONE:\n    pass\n'), true);
  assert.equal(py('class B:\n    @property\n    def breakerState(self):\n        return self._s\nx = r.status_code\n'), true);
  assert.equal(py('class Perm(Flag):\n    R = 1\n    W = 2\nx = r.status_code\n'), true);
  assert.equal(py('engine = create_engine(url)\nx = r.status_code\n'), true);
  assert.equal(py('URL = "POSTGRES://a@b/c"\nx = r.status_code\n'), true);
  // Strong triggers are unchanged.
  assert.equal(py('import os\nX = os.environ["X"]\n'), true);
  assert.equal(py('class Phase(Enum):\n    A = "a"\n'), true);
});

test('Python: a comparison behind a weak trigger is still extracted', () => {
  const f = extractFile('app/health.py', 'def is_open(breaker) -> bool:\n    return breaker.state == CircuitState.OPEN\n');
  assert.equal(f.comparisons.length, 1);
  assert.equal(f.comparisons[0].enumName, 'CircuitState');
});
