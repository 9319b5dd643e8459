/**
 * Python reads through a loop over a literal list of names (extract/python/name-lists.ts): each
 * name is read at the loop's access, needed by what the code does when it is missing — a `raise`
 * or exit in the branch, or after collecting the missing names in a list. Look-alikes that walk
 * something else stay a name built at runtime.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extractFile } from '../../server/src/extract/index';
import type { FileFacts } from '../../server/src/core/facts';

before(ready);

const py = (text: string, file = 'svc/app/startup.py'): FileFacts => extractFile(file, text);

/** name -> 'required' | the optional reason */
function needs(f: FileFacts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of f.reads) out[r.name] = r.hasDefault ? r.optionalBecause ?? 'default' : 'required';
  return out;
}

test('a loop over a list of names reads each name; a raise or exit in its branch makes each required', () => {
  const text = [
    'import os, sys',
    'CHECKED = ["QUEUE_TOKEN", "LEDGER_SECRET"]',
    'def preflight():',
    '    for var in CHECKED:',
    '        if not os.environ.get(var):',
    '            raise SystemExit(f"missing {var}")',
    '    local = ("BUCKET_PATH",)',
    '    for key in local:',
    '        if key not in os.environ:',
    '            sys.exit(2)',
    '    for name in {"SIGNING_KEY": "signs the cookies"}:',
    '        os.environ[name]',
    'preflight()',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(needs(f), {
    QUEUE_TOKEN: 'required', LEDGER_SECRET: 'required', BUCKET_PATH: 'required', SIGNING_KEY: 'required',
  });
  // Each read is placed at its name in the list, where a rename or a fix would look.
  const token = f.reads.find((r) => r.name === 'QUEUE_TOKEN')!;
  assert.equal(text.slice(token.nameSpan.start, token.nameSpan.end), 'QUEUE_TOKEN');
  assert.deepEqual(f.dynamicReads, []);
});

test('the missing names collected in a list: required when the code fails on a non-empty list', () => {
  const text = [
    'import os, sys, logging',
    'def comprehension():',
    '    missing = [v for v in ["MAIL_HOST", "MAIL_USER"] if not os.getenv(v)]',
    '    if missing:',
    '        raise RuntimeError(missing)',
    'def appended():',
    '    missing = []',
    '    for v in ("SEARCH_URL",):',
    '        value = os.getenv(v)',
    '        if not value or value == "changeme":',
    '            missing.append(v)',
    '            logging.error("%s missing", v)',
    '    if len(missing) > 0:',
    '        sys.exit(1)',
    'def early_return():',
    '    missing = [v for v in ["CACHE_URL"] if not os.environ.get(v)]',
    '    if not missing:',
    '        return',
    '    raise ValueError(missing)',
    'comprehension(); appended(); early_return()',
  ].join('\n');
  assert.deepEqual(needs(py(text)), {
    MAIL_HOST: 'required', MAIL_USER: 'required', SEARCH_URL: 'required', CACHE_URL: 'required',
  });
});

test('look-alikes: a list whose missing names are only logged, a fallback chain, a list that is no literal', () => {
  const text = [
    'import os, logging',
    'def warn_only():',
    '    missing = []',
    '    for v in ["REPORT_HOOK"]:',
    '        if not os.getenv(v):',
    '            missing.append(v)',
    '    if missing:',
    '        logging.warning("using defaults for %s", missing)',
    'def first_set():',
    '    for key in ("BUILD_SHA", "GIT_SHA"):',
    '        v = os.getenv(key)',
    '        if v:',
    '            return v',
    '    return "unknown"',
    'def from_caller(names):',
    '    for n in names:',
    '        if not os.getenv(n):',
    '            raise SystemExit(n)',
    'def mixed():',
    '    for n in ["PLAIN_NAME", prefix + "_X"]:',
    '        os.environ[n]',
    'def twice():',
    '    wanted = ["ONE_NAME"]',
    '    wanted = ["OTHER_NAME"]',
    '    for n in wanted:',
    '        os.environ[n]',
    'class Settings:',
    '    def load(self):',
    '        for field in self.fields:',
    '            os.getenv(field)',
    'warn_only(); first_set(); from_caller([]); mixed(); twice(); Settings().load()',
  ].join('\n');
  const f = py(text);
  assert.deepEqual(needs(f), { REPORT_HOOK: 'presence-test', BUILD_SHA: 'tested-after-assignment', GIT_SHA: 'tested-after-assignment' });
  // The walks of what is no literal list stay names built at runtime.
  assert.equal(f.dynamicReads.length, 4);
});

test('a generator over the names given to any() or all(): a test of each, required only where its failure raises', () => {
  const f = py([
    'import os',
    'def has_llm():',
    '    return any(os.environ.get(k) for k in ("OPENAI_KEY", "GEMINI_KEY"))',
    'def check():',
    '    if not all(os.getenv(k) for k in ["QUEUE_URL", "QUEUE_TOKEN"]):',
    '        raise SystemExit("queue not configured")',
    'has_llm(); check()',
  ].join('\n'));
  assert.deepEqual(needs(f), { OPENAI_KEY: 'presence-test', GEMINI_KEY: 'presence-test', QUEUE_URL: 'required', QUEUE_TOKEN: 'required' });
});

test('names tried in turn until one is set are candidates: none is needed alone', () => {
  const f = py([
    'import os',
    'PROJECT_VARS = ["GOOGLE_CLOUD_PROJECT", "GCP_PROJECT_ID"]',
    'def project():',
    '    found = None',
    '    for name in PROJECT_VARS:',
    '        found = os.getenv(name)',
    '        if found:',
    '            break',
    '    return Client(found)',
    'def region():',
    '    for name in ("RUN_REGION", "CLOUD_REGION"):',
    '        if os.environ.get(name):',
    '            return os.environ.get(name)',
    '    return "us-central1"',
    'def present():',
    '    return [k for k in ("TRACE_URL", "METRICS_URL") if os.getenv(k)]',
    'def both():',
    '    for name in ("LEFT_KEY", "RIGHT_KEY"):',
    '        use(os.environ.get(name))',
    'project(); region(); present(); both()',
  ].join('\n'));
  const need = (name: string): boolean[] => f.reads.filter((r) => r.name === name).map((r) => !r.hasDefault);
  assert.deepEqual(need('GOOGLE_CLOUD_PROJECT'), [false]);
  assert.deepEqual(need('GCP_PROJECT_ID'), [false]);
  assert.deepEqual(need('RUN_REGION'), [false, false]);
  // A comprehension keeping the names that are set only tests each.
  assert.deepEqual([...need('TRACE_URL'), ...need('METRICS_URL')], [false, false]);
  // Every name used in turn: each is needed.
  assert.deepEqual([...need('LEFT_KEY'), ...need('RIGHT_KEY')], [true, true]);
});

test('a loop variable tested with "in" against a wrapper is no read (only os.environ itself)', () => {
  const f = py([
    'import os',
    'env = load()',
    'for k in ["FLAG_ONE"]:',
    '    if k not in env:',
    '        raise SystemExit(k)',
  ].join('\n'));
  assert.deepEqual(needs(f), {});
});
