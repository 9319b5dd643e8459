import type { Rule } from './types';
// STUB: to be written (issue 3).
export const envUnsetForDeploy: Rule = {
  meta: { id: 'env-unset-for-deploy', defaultSeverity: 'error', description: 'TODO', fixable: true },
  check() {},
};
