import type { Rule } from './types';
// STUB: to be written (issue 3).
export const secretManagerGate: Rule = {
  meta: { id: 'secret-manager-gate', defaultSeverity: 'warning', description: 'TODO', fixable: true },
  check() {},
};
