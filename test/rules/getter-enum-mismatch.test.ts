/**
 * getter-enum-mismatch: a state getter yields one enum while its declaration or its callers use a
 * parallel enum. Python (enum classes, annotated @property, `self._state = Enum.MEMBER`,
 * comparisons inside and outside the class) and TypeScript (enums, getters, `===` and
 * switch/case, and the lazy type checker for receivers the syntax cannot place).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, findingsOf, applyFix, changedFiles, where, type Files } from '../rule-harness';
import type { Finding } from '../../server/src/core/findings';
import { lastTsEnumRun } from '../../server/src/model/ts-enum-types';

before(ready);

const RULE = 'getter-enum-mismatch';

// ----- Python fixtures -------------------------------------------------------------------------

const PY_ENUMS = (extra = '    ISOLATED = "isolated"\n') =>
  `from enum import Enum\n\n\nclass CircuitState(Enum):\n    CLOSED = "closed"\n    OPEN = "open"\n    HALF_OPEN = "half_open"\n\n\nclass UnifiedCircuitBreakerState(Enum):\n    CLOSED = "closed"\n    OPEN = "open"\n    HALF_OPEN = "half_open"\n${extra}`;

/** The audit's breaker: declared CircuitState, returns the Unified enum it assigns. Return at line 21. */
const PY_BREAKER = (extra?: string) => PY_ENUMS(extra) + [
  '',
  '',
  'class UnifiedCircuitBreaker:',
  '    def __init__(self, name: str) -> None:',
  '        self.name = name',
  '        self._state = UnifiedCircuitBreakerState.CLOSED',
  '',
  '    @property',
  '    def state(self) -> CircuitState:',
  '        return self._state',
  '',
  '    def trip(self) -> None:',
  '        self._state = UnifiedCircuitBreakerState.OPEN',
  '',
].join('\n');

const PY_HEALTH = [
  'from app.resilience.circuit_breaker import CircuitState, UnifiedCircuitBreaker',
  '',
  '',
  'def is_tripped(breaker: UnifiedCircuitBreaker) -> bool:',
  '    return breaker.state == CircuitState.OPEN',
  '',
].join('\n');

const PY = (breaker: string, health = PY_HEALTH): Files => ({
  'services/backend/requirements.txt': 'fastapi\n',
  'services/backend/app/resilience/circuit_breaker.py': breaker,
  'services/backend/app/resilience/health.py': health,
});

/** A consistent Unified getter (declared and returned Unified). */
const PY_CONSISTENT = PY_ENUMS() + [
  '',
  '',
  'class UnifiedCircuitBreaker:',
  '    def __init__(self) -> None:',
  '        self._state = UnifiedCircuitBreakerState.CLOSED',
  '',
  '    @property',
  '    def state(self) -> UnifiedCircuitBreakerState:',
  '        return self._state',
  '',
  '    def allow(self) -> bool:',
  '        return self.state != CircuitState.OPEN',
  '',
].join('\n');

// ----- TypeScript fixtures ---------------------------------------------------------------------

const TS_ENUMS = `export enum CircuitState {\n  Closed = "closed",\n  Open = "open",\n  HalfOpen = "half_open",\n}\n\nexport enum BreakerState {\n  Closed = "closed",\n  Open = "open",\n  HalfOpen = "half_open",\n  Isolated = "isolated",\n}\n`;

/** Getter declared and returning BreakerState (consistent): line 16 is `get state()`. */
const TS_BREAKER = TS_ENUMS + [
  '',
  'export class CircuitBreaker {',
  '  private _state: BreakerState = BreakerState.Closed;',
  '  get state(): BreakerState {',
  '    return this._state;',
  '  }',
  '  trip(): void {',
  '    this._state = BreakerState.Open;',
  '  }',
  '}',
  '',
].join('\n');

const TS = (files: Files): Files => ({ 'services/auth/package.json': '{ "name": "auth" }\n', 'services/auth/src/breaker.ts': TS_BREAKER, ...files });

interface Case {
  name: string;
  files: Files;
  at?: string[];
  says?: string[];
  related?: string[];
  severity?: string;
  /** Titles of the fixes, with `!` for safe ones. */
  fixes?: string[];
}

const invalid: Case[] = [
  {
    name: 'Python: property declared CircuitState returns self._state assigned UnifiedCircuitBreakerState (the audit)',
    files: PY(PY_BREAKER()),
    at: ['services/backend/app/resilience/circuit_breaker.py:24'],
    says: ['UnifiedCircuitBreaker.state is declared CircuitState but returns UnifiedCircuitBreakerState', 'always get false', 'ISOLATED has no CircuitState counterpart'],
    related: [
      'services/backend/app/resilience/circuit_breaker.py:23',
      'services/backend/app/resilience/health.py:5',
      'services/backend/app/resilience/circuit_breaker.py:10',
    ],
    severity: 'error',
    fixes: ['Declare UnifiedCircuitBreaker.state as UnifiedCircuitBreakerState (callers must then compare with UnifiedCircuitBreakerState)'],
  },
  {
    name: 'Python: every member maps, so the getter converts (the audit\'s backward-compatible fix)',
    files: PY(PY_BREAKER('')),
    at: ['services/backend/app/resilience/circuit_breaker.py:23'],
    says: ['declared CircuitState but returns UnifiedCircuitBreakerState'],
    fixes: ['!Return CircuitState (convert from UnifiedCircuitBreakerState, backward compatible)', 'Declare UnifiedCircuitBreaker.state as UnifiedCircuitBreakerState (callers must then compare with UnifiedCircuitBreakerState)'],
  },
  {
    name: 'Python: caller outside the class compares a Unified getter with CircuitState',
    files: PY(PY_CONSISTENT.replace('    def allow(self) -> bool:\n        return self.state != CircuitState.OPEN\n', '    def allow(self) -> bool:\n        return True\n')),
    at: ['services/backend/app/resilience/health.py:5'],
    says: ['.state holds UnifiedCircuitBreakerState (UnifiedCircuitBreaker.state) but is compared with CircuitState.OPEN', 'never matches'],
    related: ['services/backend/app/resilience/circuit_breaker.py:22', 'services/backend/app/resilience/circuit_breaker.py:10'],
    severity: 'error',
    fixes: ['Compare with UnifiedCircuitBreakerState.OPEN (import UnifiedCircuitBreakerState)'],
  },
  {
    name: 'Python: comparison inside the class (self.state) and a membership test',
    files: PY(PY_CONSISTENT, 'from app.resilience.circuit_breaker import CircuitState\n\n\ndef degraded(b) -> bool:\n    return b.state in (CircuitState.OPEN, CircuitState.HALF_OPEN)\n'),
    at: ['services/backend/app/resilience/circuit_breaker.py:26', 'services/backend/app/resilience/health.py:5', 'services/backend/app/resilience/health.py:5'],
    says: ['holds UnifiedCircuitBreakerState'],
  },
  {
    name: 'TypeScript: caller compares a BreakerState getter with CircuitState (the example; TS2367)',
    files: TS({ 'services/auth/src/health.ts': 'import { CircuitBreaker, CircuitState } from "./breaker";\n\nexport function isTripped(breaker: CircuitBreaker): boolean {\n  return breaker.state === CircuitState.Open;\n}\n' }),
    at: ['services/auth/src/health.ts:4'],
    says: ['.state holds BreakerState (CircuitBreaker.state) but is compared with CircuitState.Open', 'TS2367'],
    related: ['services/auth/src/breaker.ts:16', 'services/auth/src/breaker.ts:7'],
    severity: 'warning',
    fixes: ['Compare with BreakerState.Open (import BreakerState)'],
  },
  {
    name: 'TypeScript: switch/case on this.state inside the class, numeric enums whose values differ',
    files: {
      'services/auth/package.json': '{ "name": "auth" }\n',
      'services/auth/src/breaker.ts': [
        'export enum CircuitState { Closed, Open, HalfOpen }',
        'export enum BreakerState { Open, Closed, HalfOpen }',
        '',
        'export class CircuitBreaker {',
        '  private _state = BreakerState.Closed;',
        '  get state(): BreakerState {',
        '    return this._state;',
        '  }',
        '  describe(): string {',
        '    switch (this.state) {',
        '      case CircuitState.Open:',
        '        return "open";',
        '      default:',
        '        return "ok";',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    },
    at: ['services/auth/src/breaker.ts:11'],
    says: ['compared with CircuitState.Open', 'matches BreakerState.Closed instead'],
    severity: 'error',
    fixes: ['!Compare with BreakerState.Open'],
  },
  {
    name: 'TypeScript: getter declared CircuitState returns a BreakerState field (every value maps: convert)',
    files: {
      'services/auth/package.json': '{ "name": "auth" }\n',
      'services/auth/src/breaker.ts': [
        'export enum CircuitState { Closed = "closed", Open = "open", HalfOpen = "half_open", Isolated = "isolated" }',
        'export enum BreakerState { Closed = "closed", Open = "open", HalfOpen = "half_open" }',
        '',
        'export class CircuitBreaker {',
        '  private _state: BreakerState = BreakerState.Closed;',
        '  get state(): CircuitState {',
        '    return this._state;',
        '  }',
        '}',
        '',
      ].join('\n'),
    },
    at: ['services/auth/src/breaker.ts:7'],
    says: ['CircuitBreaker.state is declared CircuitState but returns BreakerState'],
    fixes: ['!Return CircuitState (convert from BreakerState, backward compatible)', 'Declare CircuitBreaker.state as BreakerState (callers must then compare with BreakerState)'],
  },
  {
    name: 'TypeScript, type checker: receiver is a call (getBreaker().state) through another module',
    files: TS({
      'services/auth/src/registry.ts': 'import { CircuitBreaker } from "./breaker";\n\nconst breakers = new Map<string, CircuitBreaker>();\n\nexport function getBreaker(name = "db"): CircuitBreaker {\n  return breakers.get(name) ?? new CircuitBreaker();\n}\n',
      'services/auth/src/health.ts': 'import { BreakerState, CircuitState } from "./breaker";\nimport { getBreaker } from "./registry";\n\nexport const tripped = (): boolean => getBreaker().state === CircuitState.Open;\nexport const known = BreakerState.Closed;\n',
    }),
    at: ['services/auth/src/health.ts:4'],
    says: ['.state holds BreakerState but is compared with CircuitState.Open'],
    related: ['services/auth/src/breaker.ts:16', 'services/auth/src/breaker.ts:7'],
    severity: 'warning',
    fixes: ['!Compare with BreakerState.Open'],
  },
  {
    name: 'TypeScript, type checker: a breaker instance imported from another module, awaited lookup',
    files: TS({
      'services/auth/src/registry.ts': 'import { CircuitBreaker } from "./breaker";\n\nexport const dbBreaker = new CircuitBreaker();\nexport async function lookup(): Promise<CircuitBreaker> {\n  return dbBreaker;\n}\n',
      'services/auth/src/health.ts': 'import { CircuitState } from "./breaker";\nimport { dbBreaker, lookup } from "./registry";\n\nexport async function status(): Promise<string> {\n  if (dbBreaker.state === CircuitState.Open) return "down";\n  const b = await lookup();\n  if (b.state === CircuitState.HalfOpen) return "probing";\n  return "up";\n}\n',
    }),
    at: ['services/auth/src/health.ts:5', 'services/auth/src/health.ts:7'],
    says: ['holds BreakerState'],
    fixes: ['Compare with BreakerState.Open (import BreakerState)'],
  },
];

const valid: Case[] = [
  {
    name: 'Python: matching enums (declared, returned and compared CircuitState)',
    files: PY(PY_ENUMS() + '\n\nclass Breaker:\n    def __init__(self) -> None:\n        self._state = CircuitState.CLOSED\n\n    @property\n    def state(self) -> CircuitState:\n        return self._state\n', 'from app.resilience.circuit_breaker import Breaker, CircuitState\n\n\ndef is_tripped(breaker: Breaker) -> bool:\n    return breaker.state == CircuitState.OPEN\n'),
  },
  {
    name: 'Python: unrelated enums sharing one member name (DoorState.OPEN vs CircuitState.OPEN)',
    files: PY(
      'from enum import Enum\n\n\nclass CircuitState(Enum):\n    CLOSED = "closed"\n    OPEN = "open"\n    HALF_OPEN = "half_open"\n\n\nclass DoorState(Enum):\n    OPEN = "open"\n    LOCKED = "locked"\n\n\nclass Door:\n    def __init__(self) -> None:\n        self._state = DoorState.LOCKED\n\n    @property\n    def state(self) -> DoorState:\n        return self._state\n',
      'from app.resilience.circuit_breaker import CircuitState\n\n\ndef check(thing) -> bool:\n    return thing.state == CircuitState.OPEN\n',
    ),
  },
  {
    name: 'TypeScript: non-state property (color) returning a parallel enum',
    files: {
      'services/ui/package.json': '{ "name": "ui" }\n',
      'services/ui/src/theme.ts': 'export enum Palette { Red = "red", Green = "green", Blue = "blue" }\nexport enum Shade { Red = "red", Green = "green", Blue = "blue" }\n\nexport class Swatch {\n  get color(): Palette {\n    return Shade.Red as unknown as Palette;\n  }\n}\n\nexport const isRed = (s: Swatch) => s.color === Shade.Red;\n',
    },
  },
  {
    name: 'TypeScript, type checker: getBreaker().state compared with the right enum',
    files: TS({
      'services/auth/src/registry.ts': 'import { CircuitBreaker } from "./breaker";\n\nexport function getBreaker(): CircuitBreaker {\n  return new CircuitBreaker();\n}\n',
      'services/auth/src/health.ts': 'import { BreakerState } from "./breaker";\nimport { getBreaker } from "./registry";\n\nexport const tripped = (): boolean => getBreaker().state === BreakerState.Open;\n',
    }),
  },
  {
    name: 'TypeScript, type checker: a receiver from a library (not in the workspace) is not guessed by name',
    files: TS({
      'services/auth/src/health.ts': 'import { CircuitState } from "./breaker";\nimport { breaker } from "opossum-registry";\n\nexport const tripped = (): boolean => breaker.state === CircuitState.Open;\n',
    }),
  },
  {
    name: 'TypeScript: a property typed as the compared enum through a cast',
    files: TS({
      'services/auth/src/health.ts': 'import { CircuitState } from "./breaker";\nimport { getAny } from "./any";\n\nexport const tripped = (): boolean => (getAny().state as CircuitState) === CircuitState.Open;\n',
      'services/auth/src/any.ts': 'export function getAny(): { state: string } {\n  return { state: "open" };\n}\n',
    }),
  },
  {
    name: 'Python: the same comparison in a test file',
    files: {
      ...PY(PY_CONSISTENT.replace('self.state != CircuitState.OPEN', 'True'), 'def ok() -> bool:\n    return True\n'),
      'services/backend/tests/test_breaker.py': 'from app.resilience.circuit_breaker import CircuitState, UnifiedCircuitBreaker\n\n\ndef test_state():\n    b = UnifiedCircuitBreaker()\n    assert b.state != CircuitState.OPEN\n',
    },
  },
];

const rel = (f: Finding) => f.related.map((r) => `${r.file}:${r.range.start.line + 1}`);
const titles = (f: Finding) => f.fixes.map((x) => (x.safe ? '!' : '') + x.title);

for (const c of invalid) {
  test(`invalid: ${c.name}`, async () => {
    const found = await findingsOf(RULE, c.files);
    assert.deepEqual(found.map(where), c.at);
    for (const s of c.says ?? []) assert.ok(found[0].message.includes(s), `message lacks ${JSON.stringify(s)}: ${found[0].message}`);
    if (c.related) assert.deepEqual(rel(found[0]), c.related);
    if (c.severity) assert.equal(found[0].severity, c.severity);
    if (c.fixes) assert.deepEqual(titles(found[0]), c.fixes);
  });
}

for (const c of valid) {
  test(`valid: ${c.name}`, async () => {
    assert.deepEqual((await findingsOf(RULE, c.files)).map(where), []);
  });
}

test('Python: the caller of a lying getter is reported once, at the getter (not again at the caller)', async () => {
  const found = await findingsOf(RULE, PY(PY_BREAKER()));
  assert.equal(found.filter((f) => f.file.endsWith('health.py')).length, 0);
  assert.ok(found[0].message.includes('(1 caller)'));
});

test('TypeScript: the checker runs only when a candidate exists, on the candidate and its imports', async () => {
  await findingsOf(RULE, TS({ 'services/auth/src/health.ts': 'export const x = 1;\n' }));
  const beforeRun = lastTsEnumRun;
  // Evident receiver class: no checker run either.
  await findingsOf(RULE, invalid[4].files);
  assert.equal(lastTsEnumRun, beforeRun);
  await findingsOf(RULE, invalid[7].files);
  assert.ok(lastTsEnumRun && lastTsEnumRun !== beforeRun);
  assert.equal(lastTsEnumRun.candidates, 1);
  assert.equal(lastTsEnumRun.files, 3); // health.ts, registry.ts, breaker.ts
});

// ----- suppression and configuration ---------------------------------------------------------

test('suppression: # in Python on the return line, // in TypeScript on the comparison', async () => {
  const py = PY(PY_BREAKER().replace('        return self._state', `        # deploy-preflight-disable-next-line ${RULE}\n        return self._state`));
  const r1 = await analyze(py);
  assert.deepEqual(r1.findings.filter((f) => f.rule === RULE || f.rule === 'unused-suppression').map(where), []);

  const ts = TS({ 'services/auth/src/health.ts': `import { CircuitBreaker, CircuitState } from "./breaker";\n\nexport function isTripped(breaker: CircuitBreaker): boolean {\n  // deploy-preflight-disable-next-line ${RULE}\n  return breaker.state === CircuitState.Open;\n}\n` });
  const r2 = await analyze(ts);
  assert.deepEqual(r2.findings.filter((f) => f.rule === RULE || f.rule === 'unused-suppression').map(where), []);
});

test('an unused suppression is reported', async () => {
  const ts = TS({ 'services/auth/src/health.ts': `import { BreakerState, CircuitBreaker } from "./breaker";\n\n// deploy-preflight-disable ${RULE}\nexport function isTripped(breaker: CircuitBreaker): boolean {\n  return breaker.state === BreakerState.Open;\n}\n` });
  const { findings } = await analyze(ts);
  assert.deepEqual(findings.filter((f) => f.rule === 'unused-suppression').map(where), ['services/auth/src/health.ts:3']);
});

test('config: off disables, a severity override applies', async () => {
  assert.deepEqual(await findingsOf(RULE, invalid[0].files, `rules:\n  ${RULE}: off\n`), []);
  const [f] = await findingsOf(RULE, invalid[0].files, `rules:\n  ${RULE}: info\n`);
  assert.equal(f.severity, 'info');
});

// ----- fixes -----------------------------------------------------------------------------------

/** Applies fix `k` of `f`; checks scope, syntax and (for `final`) that the rule is then quiet. */
async function roundTrip(files: Files, f: Finding, k = 0, final = true): Promise<Files> {
  const fix = f.fixes[k];
  const after = applyFix(files, fix);
  assert.deepEqual(changedFiles(files, after), [...new Set(fix.edits.map((e) => e.file))]);
  for (const e of fix.edits) {
    const old = files[e.file];
    const now = after[e.file];
    assert.equal(now.slice(0, e.span.start), old.slice(0, e.span.start), 'text before the edit changed');
    assert.equal(now.slice(now.length - (old.length - e.span.end)), old.slice(e.span.end), 'text after the edit changed');
  }
  const re = await analyze(after);
  for (const file of changedFiles(files, after)) {
    const problems = re.ws.files.get(file)!.facts.problems.filter((p) => /syntax|parse/i.test(p.message));
    assert.deepEqual(problems, [], `${file} no longer parses`);
  }
  const again = re.findings.filter((x) => x.rule === RULE);
  assert.ok(!again.some((x) => x.file === f.file && x.range.start.line === f.range.start.line && x.message === f.message), 'finding still there');
  if (final) assert.deepEqual(again.map(where), [], 'a second pass still finds something');
  return after;
}

test('fix round trip (Python): convert in the getter', async () => {
  const files = invalid[1].files;
  const [f] = await findingsOf(RULE, files);
  const after = await roundTrip(files, f);
  assert.ok(after['services/backend/app/resilience/circuit_breaker.py'].includes('        return CircuitState[self._state.name]\n'));
});

test('fix round trip (Python): declare the getter as the enum it returns, then fix the caller it exposes', async () => {
  const files = invalid[0].files;
  const [f] = await findingsOf(RULE, files);
  const step1 = await roundTrip(files, f, 0, false);
  assert.ok(step1['services/backend/app/resilience/circuit_breaker.py'].includes('    def state(self) -> UnifiedCircuitBreakerState:\n'));
  const next = await findingsOf(RULE, step1);
  assert.deepEqual(next.map(where), ['services/backend/app/resilience/health.py:5']);
  const step2 = await roundTrip(step1, next[0]);
  assert.ok(step2['services/backend/app/resilience/health.py'].includes('return breaker.state == UnifiedCircuitBreakerState.OPEN\n'));
});

test('fix round trip (Python): compare with the right enum, outside and inside the class', async () => {
  const files = invalid[3].files;
  let cur = files;
  for (let i = 0; i < 5; i++) {
    const found = await findingsOf(RULE, cur);
    if (found.length === 0) break;
    cur = await roundTrip(cur, found[0], 0, found.length === 1);
  }
  assert.ok(cur['services/backend/app/resilience/circuit_breaker.py'].includes('return self.state != UnifiedCircuitBreakerState.OPEN\n'));
  assert.ok(cur['services/backend/app/resilience/health.py'].includes('b.state in (UnifiedCircuitBreakerState.OPEN, UnifiedCircuitBreakerState.HALF_OPEN)'));
});

test('fix round trip (TypeScript): compare with the right enum in a switch/case', async () => {
  const files = invalid[5].files;
  const [f] = await findingsOf(RULE, files);
  const after = await roundTrip(files, f);
  assert.ok(after['services/auth/src/breaker.ts'].includes('      case BreakerState.Open:\n'));
});

test('fix round trip (TypeScript): convert in the getter', async () => {
  const files = invalid[6].files;
  const [f] = await findingsOf(RULE, files);
  const after = await roundTrip(files, f);
  assert.ok(after['services/auth/src/breaker.ts'].includes('    return (this._state as string as CircuitState);\n'));
});

test('fix round trip (TypeScript): declare the getter as BreakerState', async () => {
  const files = invalid[6].files;
  const [f] = await findingsOf(RULE, files);
  const after = await roundTrip(files, f, 1);
  assert.ok(after['services/auth/src/breaker.ts'].includes('  get state(): BreakerState {\n'));
});

test('fix round trip (TypeScript, checker): compare with the imported right enum', async () => {
  const files = invalid[7].files;
  const [f] = await findingsOf(RULE, files);
  const after = await roundTrip(files, f);
  assert.ok(after['services/auth/src/health.ts'].includes('getBreaker().state === BreakerState.Open;'));
});

test('fix round trip (TypeScript): the unsafe compare fix when the enum still needs an import', async () => {
  const files = invalid[4].files;
  const [f] = await findingsOf(RULE, files);
  assert.equal(f.fixes[0].safe, false);
  const after = await roundTrip(files, f);
  assert.ok(after['services/auth/src/health.ts'].includes('return breaker.state === BreakerState.Open;'));
});
