/**
 * Code that turns Secret Manager on only when one variable (GCP_PROJECT_ID) is present. Cloud
 * Run does not set it, so one missing line in a deploy silently disables every secret (the
 * audit's Fix 2). The fix widens the condition to any of the signals a GCP runtime gives.
 */
import type { Rule, Fix } from './types';
import type { SecretGateFact } from '../extract/facts';
import { deployedTargetsOf, describeTarget, targetAnchor } from './shared/deploy-knowledge';

/** The audit's Fix 2: any of these says "we are on GCP". */
export const GCP_SIGNALS = ['GCP_PROJECT_ID', 'GOOGLE_CLOUD_PROJECT', 'GOOGLE_APPLICATION_CREDENTIALS', 'K_SERVICE'];

/** The condition repeated for each signal (same accessor, same test), joined with the language's `or`. */
export function widenedCondition(gate: SecretGateFact): string | undefined {
  const first = gate.nameOffsets[0];
  if (!first || gate.nameOffsets.length !== 1) return undefined;
  const names = [first.name, ...GCP_SIGNALS.filter((n) => n !== first.name)];
  const variant = (n: string) => gate.conditionText.slice(0, first.start) + n + gate.conditionText.slice(first.end);
  const or = gate.language === 'python' ? ' or ' : ' || ';
  return `(${names.map(variant).join(or)})`;
}

export const secretManagerGate: Rule = {
  meta: {
    id: 'secret-manager-gate',
    defaultSeverity: 'warning',
    description: 'Secret Manager is enabled only when one variable (GCP_PROJECT_ID) is present',
    fixable: true,
  },
  check({ model, report }) {
    for (const [file, facts] of model.files) {
      if (facts.isTest) continue;
      for (const gate of facts.gates) {
        if (gate.names.length !== 1) continue;
        const name = gate.names[0];
        const service = model.services.ownerOf(file);
        const unwired = service ? deployedTargetsOf(model, service.name).filter((t) => !t.writes.has(name)) : [];
        const text = widenedCondition(gate);
        const fixes: Fix[] = text ? [{
          title: `Also accept ${GCP_SIGNALS.filter((n) => n !== name).join(', ')} (audit Fix 2)`,
          edits: [{ file, span: gate.conditionSpan, newText: text }],
          safe: false,
          preferred: true,
        }] : [];
        report({
          file,
          span: gate.conditionSpan,
          key: `${gate.functionName ?? ''}:${name}`,
          message: `${gate.functionName ? `${gate.functionName}() enables` : 'Enables'} Secret Manager only when ${name} is set; Cloud Run does not set it${unwired.length ? `, and ${unwired.map(describeTarget).join(', ')} ${unwired.length === 1 ? 'does' : 'do'} not either: secrets will not load there` : ', so one missing deploy line silently disables every secret'}`,
          related: unwired.map((t) => ({ ...targetAnchor(t), message: `${describeTarget(t)} deployed here without ${name}` })),
          fixes,
        });
      }
    }
  },
};
