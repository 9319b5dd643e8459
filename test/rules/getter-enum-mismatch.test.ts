/**
 * getter-enum-mismatch: a state getter yields one enum while its declaration or its callers use a
 * parallel enum. Python (enum classes, annotated @property, `self._state = Enum.MEMBER`,
 * comparisons inside and outside the class) and TypeScript (enums, getters, `===` and
 * switch/case, and the lazy type checker for receivers the syntax cannot place).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { analyze, findingsOf, type Files } from '../rule-harness';
import { roundTrip } from './_fix-roundtrip';
import { RuleTester, type ExpectedFix, type FixOutput } from '../rule-tester';
import { lastTsEnumRun } from '../../server/src/model/ts-enum-types';
import { getterEnumMismatch } from '../../server/src/rules/getter-enum-mismatch';

before(ready);

const RULE = 'getter-enum-mismatch';

// ----- Python fixtures -------------------------------------------------------------------------

const PY_ENUMS = (extra = '    ISOLATED = "isolated"\n') =>
  `from enum import Enum\n\n\nclass CircuitState(Enum):\n    CLOSED = "closed"\n    OPEN = "open"\n    HALF_OPEN = "half_open"\n\n\nclass UnifiedCircuitBreakerState(Enum):\n    CLOSED = "closed"\n    OPEN = "open"\n    HALF_OPEN = "half_open"\n${extra}`;

/** The staging rollout's breaker: declared CircuitState, returns the Unified enum it assigns. Return at line 24. */
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

const BREAKER_PY = 'services/backend/app/resilience/circuit_breaker.py';
const HEALTH_PY = 'services/backend/app/resilience/health.py';
const BREAKER_TS = 'services/auth/src/breaker.ts';
const HEALTH_TS = 'services/auth/src/health.ts';

/** (a) Converts the returned value into the declared enum: safe and preferred. */
const convert = (declared: string, actual: string, output?: FixOutput): ExpectedFix => ({
  title: `Return ${declared} (convert from ${actual}, backward compatible)`, safe: true, preferred: true, ...(output ? { output } : {}),
});
/** (a) Declares the accessor as the enum it returns: callers then need changing, so not safe. */
const declareAs = (getter: string, actual: string, output?: FixOutput): ExpectedFix => ({
  title: `Declare ${getter} as ${actual} (callers must then compare with ${actual})`, safe: false, preferred: false, ...(output ? { output } : {}),
});
/** The same, when a returned member has no counterpart (so no conversion is offered): the title says which. */
const declareAsUnmapped = (getter: string, actual: string, unmapped: string, declared: string, output?: FixOutput): ExpectedFix => ({
  title: `Declare ${getter} as ${actual} (callers must then compare with ${actual}; ${unmapped} has no ${declared} counterpart)`, safe: false, preferred: false, ...(output ? { output } : {}),
});
/** (b) Compares with the held enum's member; safe only when the enum is in scope and the member name is the same. */
const compareWith = (member: string, safe: boolean, importing?: string, output?: FixOutput): ExpectedFix => ({
  title: `Compare with ${member}${importing ? ` (import ${importing})` : ''}`, safe, preferred: true, ...(output ? { output } : {}),
});

/** A Python caller outside the class, of a consistent Unified getter. */
const PY_OUTSIDE = PY(PY_CONSISTENT.replace('    def allow(self) -> bool:\n        return self.state != CircuitState.OPEN\n', '    def allow(self) -> bool:\n        return True\n'));
const PY_MEMBERSHIP = PY(PY_CONSISTENT, 'from app.resilience.circuit_breaker import CircuitState\n\n\ndef degraded(b) -> bool:\n    return b.state in (CircuitState.OPEN, CircuitState.HALF_OPEN)\n');
const TS_HEALTH = TS({ [HEALTH_TS]: 'import { CircuitBreaker, CircuitState } from "./breaker";\n\nexport function isTripped(breaker: CircuitBreaker): boolean {\n  return breaker.state === CircuitState.Open;\n}\n' });
const TS_SWITCH: Files = {
  'services/auth/package.json': '{ "name": "auth" }\n',
  [BREAKER_TS]: [
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
};
/** A TypeScript getter declared CircuitState returning a BreakerState field; `caller` adds a
 * comparison of the getter with CircuitState in the same file. */
const TS_DECLARED = (circuit: string, breaker: string, caller = false): Files => ({
  'services/auth/package.json': '{ "name": "auth" }\n',
  [BREAKER_TS]: [
    `export enum CircuitState { ${circuit} }`,
    `export enum BreakerState { ${breaker} }`,
    '',
    'export class CircuitBreaker {',
    '  private _state: BreakerState = BreakerState.Closed;',
    '  get state(): CircuitState {',
    '    return this._state;',
    '  }',
    '}',
    '',
    ...(caller ? ['export function isOpen(b: CircuitBreaker): boolean {', '  return b.state === CircuitState.Open;', '}', ''] : []),
  ].join('\n'),
});
const FOUR = 'Closed = "closed", Open = "open", HalfOpen = "half_open", Isolated = "isolated"';
const THREE = 'Closed = "closed", Open = "open", HalfOpen = "half_open"';
const TS_CHECKER_CALL = TS({
  'services/auth/src/registry.ts': 'import { CircuitBreaker } from "./breaker";\n\nconst breakers = new Map<string, CircuitBreaker>();\n\nexport function getBreaker(name = "db"): CircuitBreaker {\n  return breakers.get(name) ?? new CircuitBreaker();\n}\n',
  [HEALTH_TS]: 'import { BreakerState, CircuitState } from "./breaker";\nimport { getBreaker } from "./registry";\n\nexport const tripped = (): boolean => getBreaker().state === CircuitState.Open;\nexport const known = BreakerState.Closed;\n',
});

RuleTester.run(getterEnumMismatch, {
  valid: [
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
        [HEALTH_TS]: 'import { BreakerState } from "./breaker";\nimport { getBreaker } from "./registry";\n\nexport const tripped = (): boolean => getBreaker().state === BreakerState.Open;\n',
      }),
    },
    {
      name: 'TypeScript: an untyped callback parameter is not typed by a same-named parameter of another function',
      files: TS({
        [HEALTH_TS]: [
          'import { CircuitBreaker, CircuitState } from "./breaker";',
          '',
          'interface Summary { state: CircuitState }',
          'export function label(s: CircuitBreaker): string {',
          '  return String(s.state);',
          '}',
          'export function summaries(): Summary[] {',
          '  return [];',
          '}',
          'export const open = summaries().filter((s) => s.state === CircuitState.Open).length;',
          '',
        ].join('\n'),
      }),
    },
    {
      name: 'TypeScript, type checker: a receiver from a library (not in the workspace) is not guessed by name',
      files: TS({
        [HEALTH_TS]: 'import { CircuitState } from "./breaker";\nimport { breaker } from "opossum-registry";\n\nexport const tripped = (): boolean => breaker.state === CircuitState.Open;\n',
      }),
    },
    {
      name: 'TypeScript: a property typed as the compared enum through a cast',
      files: TS({
        [HEALTH_TS]: 'import { CircuitState } from "./breaker";\nimport { getAny } from "./any";\n\nexport const tripped = (): boolean => (getAny().state as CircuitState) === CircuitState.Open;\n',
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
    {
      name: 'suppression: # in Python on the return line',
      files: PY(PY_BREAKER().replace('        return self._state', `        # deploy-preflight-disable-next-line ${RULE}\n        return self._state`)),
      others: { 'unused-suppression': [] },
      control: { files: PY(PY_BREAKER()) },
    },
    {
      name: 'suppression: // in TypeScript on the comparison',
      files: TS({ [HEALTH_TS]: `import { CircuitBreaker, CircuitState } from "./breaker";\n\nexport function isTripped(breaker: CircuitBreaker): boolean {\n  // deploy-preflight-disable-next-line ${RULE}\n  return breaker.state === CircuitState.Open;\n}\n` }),
      others: { 'unused-suppression': [] },
      control: { files: TS_HEALTH },
    },
    {
      name: 'an unused suppression is reported',
      files: TS({ [HEALTH_TS]: `import { BreakerState, CircuitBreaker } from "./breaker";\n\n// deploy-preflight-disable ${RULE}\nexport function isTripped(breaker: CircuitBreaker): boolean {\n  return breaker.state === BreakerState.Open;\n}\n` }),
      others: { 'unused-suppression': [`${HEALTH_TS}:3`] },
    },
    {
      name: 'config: off disables',
      files: PY(PY_BREAKER()),
      config: `rules:\n  ${RULE}: off\n`,
      control: {},
    },
  ],
  invalid: [
    {
      // The caller of a lying getter is reported once, at the getter (not again at the caller).
      name: 'Python: property declared CircuitState returns self._state assigned UnifiedCircuitBreakerState; a member without counterpart, so no conversion',
      files: PY(PY_BREAKER()),
      findings: [{
        at: `${BREAKER_PY}:24`, severity: 'error', messageId: 'returnsTwin',
        message: /^UnifiedCircuitBreaker\.state is declared CircuitState but returns UnifiedCircuitBreakerState: comparisons never match$/,
        text: 'self._state',
        related: [
          { at: `${BREAKER_PY}:23`, message: 'declared CircuitState here' },
          { at: `${HEALTH_PY}:5`, message: 'compares state with CircuitState.OPEN: never true while the getter returns UnifiedCircuitBreakerState' },
          { at: `${BREAKER_PY}:10`, message: 'UnifiedCircuitBreakerState defined here' },
        ],
        fixes: [declareAsUnmapped('UnifiedCircuitBreaker.state', 'UnifiedCircuitBreakerState', 'ISOLATED', 'CircuitState', {
          contains: { [BREAKER_PY]: '    def state(self) -> UnifiedCircuitBreakerState:\n' },
          // The caller it exposes is next; its fix finishes the job.
          remaining: [`${HEALTH_PY}:5`],
          check: async ({ after }) => {
            const step2 = await roundTrip(RULE, after, (f) => f.file === HEALTH_PY);
            assert.ok(step2.after[HEALTH_PY].includes('return breaker.state == UnifiedCircuitBreakerState.OPEN\n'));
            assert.deepEqual(step2.findingsAfter.filter((f) => f.rule === RULE), []);
          },
        })],
      }],
    },
    {
      name: 'Python: every member maps, so the getter converts (the backward-compatible fix)',
      files: PY(PY_BREAKER('')),
      findings: [{
        at: `${BREAKER_PY}:23`, severity: 'error', messageId: 'returnsTwin',
        message: /^UnifiedCircuitBreaker\.state is declared CircuitState but returns UnifiedCircuitBreakerState: comparisons never match$/,
        related: [`${BREAKER_PY}:22`, `${HEALTH_PY}:5`, `${BREAKER_PY}:10`],
        fixes: [
          convert('CircuitState', 'UnifiedCircuitBreakerState', { contains: { [BREAKER_PY]: '        return CircuitState[self._state.name]\n' }, remaining: [] }),
          declareAs('UnifiedCircuitBreaker.state', 'UnifiedCircuitBreakerState'),
        ],
      }],
    },
    {
      name: 'Python: no caller in the workspace',
      files: { 'services/backend/requirements.txt': 'fastapi\n', [BREAKER_PY]: PY_BREAKER('') },
      findings: [{
        at: `${BREAKER_PY}:23`, severity: 'error', messageId: 'returnsTwin',
        message: /^UnifiedCircuitBreaker\.state is declared CircuitState but returns UnifiedCircuitBreakerState: comparisons never match$/,
        related: [`${BREAKER_PY}:22`, `${BREAKER_PY}:10`],
        fixes: [convert('CircuitState', 'UnifiedCircuitBreakerState'), declareAs('UnifiedCircuitBreaker.state', 'UnifiedCircuitBreakerState')],
      }],
    },
    {
      name: 'Python: no caller, a member without counterpart',
      files: { 'services/backend/requirements.txt': 'fastapi\n', [BREAKER_PY]: PY_BREAKER() },
      findings: [{
        at: `${BREAKER_PY}:24`, severity: 'error', messageId: 'returnsTwin',
        message: 'comparisons never match',
        related: [`${BREAKER_PY}:23`, `${BREAKER_PY}:10`],
        fixes: [declareAsUnmapped('UnifiedCircuitBreaker.state', 'UnifiedCircuitBreakerState', 'ISOLATED', 'CircuitState')],
      }],
    },
    {
      name: 'Python: caller outside the class compares a Unified getter with CircuitState',
      files: PY_OUTSIDE,
      findings: [{
        at: `${HEALTH_PY}:5`, severity: 'error', messageId: 'comparedWithTwinNeverEqual',
        message: /^UnifiedCircuitBreaker\.state holds UnifiedCircuitBreakerState, not CircuitState: this comparison never matches$/,
        text: 'CircuitState.OPEN',
        related: [
          { at: `${BREAKER_PY}:22`, message: 'UnifiedCircuitBreaker.state yields UnifiedCircuitBreakerState here' },
          { at: `${BREAKER_PY}:10`, message: 'UnifiedCircuitBreakerState defined here' },
        ],
        fixes: [compareWith('UnifiedCircuitBreakerState.OPEN', false, 'UnifiedCircuitBreakerState')],
      }],
    },
    {
      name: 'Python: the same comparison twice in one file: two findings, told apart without their offsets',
      files: PY(PY_OUTSIDE[BREAKER_PY], 'from app.resilience.circuit_breaker import CircuitState\n\n\ndef tripped(b) -> bool:\n    return b.state == CircuitState.OPEN\n\n\ndef alarm(b) -> bool:\n    return b.state == CircuitState.OPEN\n'),
      findings: [5, 9].map((line) => ({
        at: `${HEALTH_PY}:${line}`, severity: 'error' as const, messageId: 'comparedWithTwinNeverEqual', message: 'holds UnifiedCircuitBreakerState, not CircuitState',
        related: [`${BREAKER_PY}:22`, `${BREAKER_PY}:10`], fixes: [compareWith('UnifiedCircuitBreakerState.OPEN', false, 'UnifiedCircuitBreakerState')],
      })),
      check: ([first, second]) => assert.notEqual(first.fingerprint, second.fingerprint),
    },
    {
      name: 'Python: comparison inside the class (self.state) and a membership test',
      files: PY_MEMBERSHIP,
      findings: [
        { at: `${BREAKER_PY}:26`, severity: 'error', messageId: 'comparedWithTwinNeverEqual', message: 'holds UnifiedCircuitBreakerState', related: [`${BREAKER_PY}:22`, `${BREAKER_PY}:10`], fixes: [compareWith('UnifiedCircuitBreakerState.OPEN', true)] },
        { at: `${HEALTH_PY}:5`, severity: 'error', messageId: 'comparedWithTwinNeverEqual', message: 'holds UnifiedCircuitBreakerState, not CircuitState', related: [`${BREAKER_PY}:22`, `${BREAKER_PY}:10`], fixes: [compareWith('UnifiedCircuitBreakerState.OPEN', false, 'UnifiedCircuitBreakerState')] },
        { at: `${HEALTH_PY}:5`, severity: 'error', messageId: 'comparedWithTwinNeverEqual', message: 'holds UnifiedCircuitBreakerState, not CircuitState', related: [`${BREAKER_PY}:22`, `${BREAKER_PY}:10`], fixes: [compareWith('UnifiedCircuitBreakerState.HALF_OPEN', false, 'UnifiedCircuitBreakerState')] },
      ],
    },
    {
      name: 'TypeScript: caller compares a BreakerState getter with CircuitState (TS2367); the compare fix needs an import, so it is not safe',
      files: TS_HEALTH,
      findings: [{
        at: `${HEALTH_TS}:4`, severity: 'warning', messageId: 'comparedWithTwinTsc',
        message: /^CircuitBreaker\.state holds BreakerState, not CircuitState: tsc rejects this \(TS2367\); it works by equal values only$/,
        related: [`${BREAKER_TS}:16`, `${BREAKER_TS}:7`],
        fixes: [compareWith('BreakerState.Open', false, 'BreakerState', { contains: { [HEALTH_TS]: 'return breaker.state === BreakerState.Open;' }, remaining: [] })],
      }],
    },
    {
      name: 'TypeScript: switch/case on this.state inside the class, numeric enums whose values differ',
      files: TS_SWITCH,
      findings: [{
        at: `${BREAKER_TS}:11`, severity: 'error', messageId: 'comparedWithTwinOtherMember',
        message: /^CircuitBreaker\.state holds BreakerState, not CircuitState: this matches BreakerState\.Closed, not BreakerState\.Open$/,
        related: [`${BREAKER_TS}:6`, `${BREAKER_TS}:2`],
        fixes: [compareWith('BreakerState.Open', true, undefined, { contains: { [BREAKER_TS]: '      case BreakerState.Open:\n' }, remaining: [] })],
      }],
    },
    {
      name: 'TypeScript: a compared member with no counterpart whose value another member has',
      files: {
        'services/auth/package.json': '{ "name": "auth" }\n',
        [BREAKER_TS]: [
          'export enum CircuitState { Closed = "closed", Open = "open", Tripped = "tripped" }',
          'export enum BreakerState { Closed = "closed", Open = "open", Broken = "tripped" }',
          '',
          'export class CircuitBreaker {',
          '  private _state: BreakerState = BreakerState.Closed;',
          '  get state(): BreakerState {',
          '    return this._state;',
          '  }',
          '  tripped(): boolean {',
          '    return this.state === CircuitState.Tripped;',
          '  }',
          '}',
          '',
        ].join('\n'),
      },
      findings: [{
        at: `${BREAKER_TS}:10`, severity: 'error', messageId: 'comparedWithTwinOtherMemberUnmapped',
        message: /^CircuitBreaker\.state holds BreakerState, not CircuitState: this matches BreakerState\.Broken instead$/,
        related: [`${BREAKER_TS}:6`, `${BREAKER_TS}:2`],
        // No member of that name to compare with instead.
        fixes: [],
      }],
    },
    {
      name: 'TypeScript: getter declared CircuitState returns a BreakerState field (every value maps: convert, or declare)',
      files: TS_DECLARED(FOUR, THREE),
      findings: [{
        at: `${BREAKER_TS}:7`, severity: 'error', messageId: 'returnsTwinByValue',
        message: /^CircuitBreaker\.state is declared CircuitState but returns BreakerState: matches by value only$/,
        related: [`${BREAKER_TS}:6`, `${BREAKER_TS}:2`],
        fixes: [
          convert('CircuitState', 'BreakerState', { contains: { [BREAKER_TS]: '    return (this._state as string as CircuitState);\n' }, remaining: [] }),
          declareAs('CircuitBreaker.state', 'BreakerState', { contains: { [BREAKER_TS]: '  get state(): BreakerState {\n' }, remaining: [] }),
        ],
      }],
    },
    {
      name: 'TypeScript: the same getter with a caller',
      files: TS_DECLARED(FOUR, THREE, true),
      findings: [{
        at: `${BREAKER_TS}:7`, severity: 'error', messageId: 'returnsTwinByValue',
        message: /: matches by value only$/,
        related: [`${BREAKER_TS}:6`, `${BREAKER_TS}:12`, `${BREAKER_TS}:2`],
        fixes: [convert('CircuitState', 'BreakerState'), declareAs('CircuitBreaker.state', 'BreakerState')],
      }],
    },
    {
      name: 'TypeScript: a returned member without counterpart: no conversion',
      files: TS_DECLARED(THREE, FOUR),
      findings: [{
        at: `${BREAKER_TS}:7`, severity: 'error', messageId: 'returnsTwinByValue',
        message: /: matches by value only$/,
        related: [`${BREAKER_TS}:6`, `${BREAKER_TS}:2`],
        fixes: [declareAsUnmapped('CircuitBreaker.state', 'BreakerState', 'Isolated', 'CircuitState')],
      }],
    },
    {
      name: 'TypeScript: a returned member without counterpart, with a caller',
      files: TS_DECLARED(THREE, FOUR, true),
      findings: [{
        at: `${BREAKER_TS}:7`, severity: 'error', messageId: 'returnsTwinByValue',
        message: /: matches by value only$/,
        related: [`${BREAKER_TS}:6`, `${BREAKER_TS}:12`, `${BREAKER_TS}:2`],
        fixes: [declareAsUnmapped('CircuitBreaker.state', 'BreakerState', 'Isolated', 'CircuitState')],
      }],
    },
    {
      name: 'TypeScript, type checker: receiver is a call (getBreaker().state) through another module',
      files: TS_CHECKER_CALL,
      findings: [{
        at: `${HEALTH_TS}:4`, severity: 'warning', messageId: 'comparedWithTwinTsc',
        message: /^\.state holds BreakerState, not CircuitState: tsc rejects this/,
        related: [{ at: `${BREAKER_TS}:16`, message: '.state is declared here (type BreakerState)' }, `${BREAKER_TS}:7`],
        fixes: [compareWith('BreakerState.Open', true, undefined, { contains: { [HEALTH_TS]: 'getBreaker().state === BreakerState.Open;' }, remaining: [] })],
      }],
    },
    {
      name: 'TypeScript, type checker: a breaker instance imported from another module, awaited lookup',
      files: TS({
        'services/auth/src/registry.ts': 'import { CircuitBreaker } from "./breaker";\n\nexport const dbBreaker = new CircuitBreaker();\nexport async function lookup(): Promise<CircuitBreaker> {\n  return dbBreaker;\n}\n',
        [HEALTH_TS]: 'import { CircuitState } from "./breaker";\nimport { dbBreaker, lookup } from "./registry";\n\nexport async function status(): Promise<string> {\n  if (dbBreaker.state === CircuitState.Open) return "down";\n  const b = await lookup();\n  if (b.state === CircuitState.HalfOpen) return "probing";\n  return "up";\n}\n',
      }),
      findings: [
        { at: `${HEALTH_TS}:5`, severity: 'warning', messageId: 'comparedWithTwinTsc', message: 'holds BreakerState', related: [`${BREAKER_TS}:16`, `${BREAKER_TS}:7`], fixes: [compareWith('BreakerState.Open', false, 'BreakerState')] },
        { at: `${HEALTH_TS}:7`, severity: 'warning', messageId: 'comparedWithTwinTsc', message: 'holds BreakerState', related: [`${BREAKER_TS}:16`, `${BREAKER_TS}:7`], fixes: [compareWith('BreakerState.HalfOpen', false, 'BreakerState')] },
      ],
    },
    {
      name: 'config: a severity override applies',
      files: PY(PY_BREAKER()),
      config: `rules:\n  ${RULE}: info\n`,
      findings: [{
        at: `${BREAKER_PY}:24`, severity: 'info', messageId: 'returnsTwin', message: 'declared CircuitState',
        related: [`${BREAKER_PY}:23`, `${HEALTH_PY}:5`, `${BREAKER_PY}:10`], fixes: [declareAsUnmapped('UnifiedCircuitBreaker.state', 'UnifiedCircuitBreakerState', 'ISOLATED', 'CircuitState')],
      }],
    },
  ],
});

test('TypeScript: the checker runs only when a candidate exists, on the candidate and its imports', async () => {
  await findingsOf(RULE, TS({ [HEALTH_TS]: 'export const x = 1;\n' }));
  const beforeRun = lastTsEnumRun;
  // Evident receiver class: no checker run either.
  await findingsOf(RULE, TS_HEALTH);
  assert.equal(lastTsEnumRun, beforeRun);
  await findingsOf(RULE, TS_CHECKER_CALL);
  assert.ok(lastTsEnumRun && lastTsEnumRun !== beforeRun);
  assert.equal(lastTsEnumRun.candidates, 1);
  assert.equal(lastTsEnumRun.files, 3); // health.ts, registry.ts, breaker.ts
});

test('fix round trip (Python): compare with the right enum, outside and inside the class, one finding at a time', async () => {
  let cur = PY_MEMBERSHIP;
  for (let i = 0; i < 5; i++) {
    const found = await findingsOf(RULE, cur);
    if (found.length === 0) break;
    cur = (await roundTrip(RULE, cur, (f) => f.fingerprint === found[0].fingerprint)).after;
  }
  assert.deepEqual(await findingsOf(RULE, cur), []);
  assert.ok(cur[BREAKER_PY].includes('return self.state != UnifiedCircuitBreakerState.OPEN\n'));
  assert.ok(cur[HEALTH_PY].includes('b.state in (UnifiedCircuitBreakerState.OPEN, UnifiedCircuitBreakerState.HALF_OPEN)'));
});

test('edits: the enum pairing is kept between edits only while every enum keeps its members', async () => {
  const enums = (unified: string[]) => `from enum import Enum\n\n\nclass CircuitState(Enum):\n    CLOSED = "closed"\n    OPEN = "open"\n    HALF_OPEN = "half_open"\n\n\nclass UnifiedCircuitBreakerState(Enum):\n${unified.map((m) => `    ${m} = "${m.toLowerCase()}"\n`).join('')}`;
  const breaker = (unified: string[]) => PY_BREAKER('').replace(PY_ENUMS(''), enums(unified));
  const file = 'services/backend/app/resilience/circuit_breaker.py';
  const reported = (ws: { findings(): { rule: string; file: string }[] }) => ws.findings().some((f) => f.rule === RULE && f.file === file);

  // Unified shares one member with CircuitState (CLOSED): not a twin, the breaker is quiet.
  const { ws } = await analyze(PY(breaker(['CLOSED', 'ISOLATED'])));
  assert.equal(reported(ws), false, 'one shared member: no twin');

  // An edit adding a member both enums have: twins now, the getter is reported.
  ws.setText(file, breaker(['CLOSED', 'OPEN', 'ISOLATED']));
  assert.equal(reported(ws), true, 'OPEN added to Unified: a twin');
  const findings = JSON.stringify(ws.findings());

  // An edit of a file without enums keeps the pairing, and the findings are those of a fresh analysis.
  const health = `${PY_HEALTH}\n# touched\n`;
  ws.setText('services/backend/app/resilience/health.py', health);
  const fresh = await analyze({ ...PY(breaker(['CLOSED', 'OPEN', 'ISOLATED'])), 'services/backend/app/resilience/health.py': health });
  assert.equal(JSON.stringify(ws.findings()), JSON.stringify(fresh.findings));
  assert.equal(reported(ws), true);
  assert.notEqual(findings, '');

  // Removing the member again: no twin, no finding.
  ws.setText(file, breaker(['CLOSED', 'ISOLATED']));
  assert.equal(reported(ws), false, 'OPEN removed again: no twin');
  // Members that normalise alike (case, underscores) pair as before.
  ws.setText(file, breaker(['CLOSED', 'O_PEN', 'ISOLATED']));
  assert.equal(reported(ws), true, 'O_PEN normalises to OPEN: a twin again');
  // A renamed enum is another enum: the pairing follows.
  ws.setText(file, breaker(['CLOSED', 'OPEN']).replace(/UnifiedCircuitBreakerState/g, 'BreakerMode'));
  assert.equal(reported(ws), true, 'renamed, still parallel');
});
