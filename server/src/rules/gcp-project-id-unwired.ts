import type { Rule } from './types';
// STUB: to be written (issue 3).
export const gcpProjectIdUnwired: Rule = {
  meta: { id: 'gcp-project-id-unwired', defaultSeverity: 'error', description: 'TODO', fixable: true },
  check() {},
};
