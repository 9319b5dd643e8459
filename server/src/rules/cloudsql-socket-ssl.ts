import type { Rule } from './types';
// STUB: to be written (issue 3).
export const cloudsqlSocketSsl: Rule = {
  meta: { id: 'cloudsql-socket-ssl', defaultSeverity: 'warning', description: 'TODO', fixable: true },
  check() {},
};
