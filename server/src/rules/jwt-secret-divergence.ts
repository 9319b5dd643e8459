import type { Rule } from './types';
// STUB: to be written (issue 3).
export const jwtSecretDivergence: Rule = {
  meta: { id: 'jwt-secret-divergence', defaultSeverity: 'error', description: 'TODO', fixable: true },
  check() {},
};
