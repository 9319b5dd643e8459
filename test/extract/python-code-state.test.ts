/**
 * State getters in their real shapes: an unannotated property converting through a mapping dict
 * (inline, a local, a module constant, a class attribute) yields the enum of the dict's values;
 * `self.state` compared in a subclass records the class's bases, whose accessor it uses.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extractFile } from '../../server/src/extract/index';

before(ready);

const ENUMS = [
  'from enum import Enum',
  'class Phase(Enum):',
  '    IDLE = "idle"',
  '    BUSY = "busy"',
  'class LegacyPhase(Enum):',
  '    IDLE = "idle"',
  '    BUSY = "busy"',
];

test('a getter converting through a mapping yields the enum of its values', () => {
  const text = [
    ...ENUMS,
    '_TO_LEGACY = {Phase.IDLE: LegacyPhase.IDLE, Phase.BUSY: LegacyPhase.BUSY}',
    'class Pump:',
    '    _BACK = {LegacyPhase.IDLE: Phase.IDLE, LegacyPhase.BUSY: Phase.BUSY}',
    '    def __init__(self):',
    '        self._phase = Phase.IDLE',
    '    @property',
    '    def state(self):',
    '        return {Phase.IDLE: LegacyPhase.IDLE, Phase.BUSY: LegacyPhase.BUSY}.get(self._phase, LegacyPhase.IDLE)',
    '    @property',
    '    def status(self):',
    '        table = {Phase.IDLE: LegacyPhase.IDLE, Phase.BUSY: LegacyPhase.BUSY}',
    '        return table[self._phase]',
    '    @property',
    '    def legacy_state(self):',
    '        return _TO_LEGACY.get(self._phase)',
    '    @property',
    '    def back_state(self):',
    '        return self._BACK[self._phase]',
    '    @property',
    '    def mixed_state(self):',
    '        return {Phase.IDLE: LegacyPhase.IDLE, Phase.BUSY: Phase.BUSY}.get(self._phase)',
    '    @property',
    '    def odd_state(self):',
    '        return {Phase.IDLE: LegacyPhase.IDLE}.get(self._phase, Phase.IDLE)',
    '    @property',
    '    def plain_state(self):',
    '        return self._phase',
  ].join('\n');
  const f = extractFile('svc/app/pump.py', text);
  assert.deepEqual(f.accessors.map((a) => [a.name, a.returns.map((r) => r.enumName)]), [
    ['state', ['LegacyPhase']],
    ['status', ['LegacyPhase']],
    ['legacy_state', ['LegacyPhase']],
    ['back_state', ['Phase']],
    // Values of two enums, or a default of another: no one enum.
    ['mixed_state', [undefined]],
    ['odd_state', [undefined]],
    ['plain_state', ['Phase']],
  ]);
});

test('self.state compared in a subclass records the bases; other receivers do not', () => {
  const text = [
    'from app.pump import Pump, LegacyPhase',
    'class WatchedPump(Pump, object):',
    '    def busy(self):',
    '        return self.state == LegacyPhase.BUSY',
    'def idle(p: Pump):',
    '    return p.state == LegacyPhase.IDLE',
  ].join('\n');
  const f = extractFile('svc/app/watch.py', text);
  assert.deepEqual(f.comparisons.map((c) => [c.member, c.receiverClass, c.receiverBases]), [
    ['BUSY', 'WatchedPump', ['Pump']],
    ['IDLE', 'Pump', undefined],
  ]);
});
