import type { Rule } from './types';
// STUB: to be written (issue 3).
export const dbSslParamDriver: Rule = {
  meta: { id: 'db-ssl-param-driver', defaultSeverity: 'error', description: 'TODO', fixable: true },
  check() {},
};
