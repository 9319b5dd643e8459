/**
 * Services of one environment take their JWT signing secret from different sources (different
 * Secret Manager secrets, or different literals): tokens one service signs, another rejects —
 * the audit's "JWT_SECRET_KEY synchronization issues between services".
 */
import { createHash } from 'node:crypto';
import type { Rule, Fix } from './types';
import type { WriteRef } from '../model/workspace-model';
import { DEPLOYED_ENVIRONMENTS } from '../model/environments';

const JWT_NAME = /^(?:[A-Z0-9]+_)*JWT_(?:SECRET|SECRET_KEY|SIGNING_KEY|KEY|SIGNING_SECRET)$/;

/** Where the value comes from, comparable without holding the value. */
function source(w: WriteRef): { id: string; label: string } | undefined {
  const v = w.write.value;
  switch (v.kind) {
    case 'secret': return { id: `secret:${v.secret}`, label: `secret ${v.secret}` };
    case 'literal': return { id: `literal:${createHash('sha256').update(v.value).digest('hex')}`, label: `a literal value (${v.value.length} chars)` };
    default: return undefined; // dynamic or inherited: we cannot tell
  }
}

export const jwtSecretDivergence: Rule = {
  meta: {
    id: 'jwt-secret-divergence',
    defaultSeverity: 'error',
    description: 'Services of one environment sign JWTs with secrets from different sources',
    fixable: true,
  },
  check({ model, report }) {
    const byEnv = new Map<string, WriteRef[]>();
    for (const t of model.targets) {
      if (!DEPLOYED_ENVIRONMENTS.has(t.environment)) continue;
      for (const [name, refs] of t.writes) {
        if (!JWT_NAME.test(name)) continue;
        // One write per service: the deploy's own, not a dotenv file feeding it.
        const w = refs.find((r) => r.deploy) ?? refs[0];
        const list = byEnv.get(t.environment) ?? [];
        list.push(w);
        byEnv.set(t.environment, list);
      }
    }
    for (const [environment, writes] of byEnv) {
      const groups = new Map<string, { label: string; refs: WriteRef[] }>();
      for (const w of writes) {
        const s = source(w);
        if (!s) continue;
        const g = groups.get(s.id) ?? { label: s.label, refs: [] };
        g.refs.push(w);
        groups.set(s.id, g);
      }
      if (groups.size < 2) continue;
      // The majority source is the reference; ties go to the secret named by convention.
      const ranked = [...groups.values()].sort((a, b) => b.refs.length - a.refs.length ||
        Number(b.label.includes(`-${environment}`)) - Number(a.label.includes(`-${environment}`)) || a.label.localeCompare(b.label));
      const main = ranked[0];
      const mainValue = main.refs[0].write.value;
      for (const g of ranked.slice(1)) {
        for (const w of g.refs) {
          const fixes: Fix[] = [];
          const v = w.write.value;
          if (mainValue.kind === 'secret' && v.kind === 'secret') {
            const len = v.span.end - v.span.start;
            const withVersion = v.secret.length + (v.version ? v.version.length + 1 : 0);
            if (len === v.secret.length || len === withVersion) {
              fixes.push({
                title: `Use secret ${mainValue.secret} like ${main.refs.map((r) => r.serviceName).join(', ')}`,
                edits: [{ file: w.file, span: { start: v.span.start, end: v.span.start + v.secret.length }, newText: mainValue.secret }],
                safe: false,
                preferred: true,
              });
            }
          }
          report({
            file: w.file,
            span: w.write.value.kind === 'inherited' ? w.write.nameSpan : w.write.value.span,
            key: `${environment}:${w.serviceName}:${w.write.name}`,
            message: `${w.serviceName} (${environment}) takes ${w.write.name} from ${g.label}, but ${main.refs.map((r) => r.serviceName).join(', ')} use${main.refs.length === 1 ? 's' : ''} ${main.label}: tokens signed by one service are rejected by the other`,
            related: main.refs.map((r) => ({ file: r.file, span: r.write.value.kind === 'inherited' ? r.write.nameSpan : r.write.value.span, message: `${r.serviceName} (${environment}) takes ${r.write.name} from ${main.label}` })),
            fixes,
          });
        }
      }
    }
  },
};
