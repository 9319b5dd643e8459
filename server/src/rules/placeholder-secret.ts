import type { Rule } from './types';
// STUB: to be written (issue 3).
export const placeholderSecret: Rule = {
  meta: { id: 'placeholder-secret', defaultSeverity: 'error', description: 'TODO', fixable: true },
  check() {},
};
