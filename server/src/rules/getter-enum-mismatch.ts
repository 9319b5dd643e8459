import type { Rule } from './types';
// STUB: to be written (issue 3).
export const getterEnumMismatch: Rule = {
  meta: { id: 'getter-enum-mismatch', defaultSeverity: 'error', description: 'TODO', fixable: true },
  check() {},
};
