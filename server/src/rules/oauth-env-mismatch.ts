import type { Rule } from './types';
// STUB: to be written (issue 3).
export const oauthEnvMismatch: Rule = {
  meta: { id: 'oauth-env-mismatch', defaultSeverity: 'error', description: 'TODO', fixable: true },
  check() {},
};
