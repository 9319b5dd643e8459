/**
 * A secret-like variable whose staging/production value is a placeholder (`REPLACE_WITH_…`,
 * `changeme`, `your-…-here`, `<…>`, `TODO`). Fires on the value, never on the name alone, and
 * never in development or template files (`.env.example`, `.env.development`). The message says
 * where the real value should come from; there is no automatic fix (only a person has the value).
 * A setup script that stores a placeholder in Secret Manager (`echo -n "changeme" | gcloud secrets
 * versions add NAME --data-file=-`, a Python dict of secret name → value) is reported at the value
 * when a staging or production deploy takes a variable from that secret.
 */
import { defineRule, type MessageData } from './types';
import { placeholderShape } from '../knowledge/secrets';
import type { Related } from '../core/findings';
import type { WorkspaceModel, WriteRef } from '../model/workspace-model';
import { DEPLOYED_ENVIRONMENTS } from '../knowledge/environments';
import { conventionalSecretName } from './shared/deploy-knowledge';
import { isSecretLike } from '../knowledge/secrets';

type Advice = 'takenFromSecret' | 'useGithubSecret' | 'useSecretKeyRef' | 'useHostEnvironment' | 'useSetSecrets';

/** The deploys, in deployed environments, that take a variable from secret `name`. */
function readersOf(model: WorkspaceModel, name: string): WriteRef[] {
  const out: WriteRef[] = [];
  for (const t of model.targets) {
    if (!DEPLOYED_ENVIRONMENTS.has(t.environment)) continue;
    for (const refs of t.writes.values()) for (const w of refs) if (w.write.value.kind === 'secret' && w.write.value.secret === name) out.push(w);
  }
  return out;
}

/** Where the real value should come from, in the terms of the file that holds the placeholder:
 * the message to report, the data its advice needs, and the related locations. */
function whereFrom(w: WriteRef, environment: string): { messageId: Advice; data: MessageData; related: Related[] } {
  const t = w.target;
  // The deploy already takes this variable from a secret: the placeholder is a stray copy.
  const fromSecret = t ? [...(t.writes.get(w.write.name) ?? [])].find((x) => x !== w && x.write.value.kind === 'secret') : undefined;
  if (fromSecret && fromSecret.write.value.kind === 'secret') {
    return {
      messageId: 'takenFromSecret',
      data: { deployed: t!.serviceName, secret: fromSecret.write.value.secret },
      related: [{ file: fromSecret.file, span: fromSecret.write.nameSpan, message: `${w.write.name} taken from secret ${fromSecret.write.value.secret} here` }],
    };
  }
  const secret = t ? conventionalSecretName(w.write.name, environment, t) : `${w.write.name.toLowerCase().replace(/_/g, '-')}-${environment}`;
  const related: Related[] = t ? t.deploys.slice(0, 1).map((d) => ({ file: d.file, span: d.deploy.service?.span ?? d.deploy.span, message: `deploy of ${t.serviceName} (${environment})` })) : [];
  switch (w.deploy?.via) {
    case 'github-actions':
      return { messageId: 'useGithubSecret', data: { secret }, related };
    case 'knative':
    case 'kubernetes':
      return { messageId: 'useSecretKeyRef', data: { secret }, related };
    case 'compose':
      return { messageId: 'useHostEnvironment', data: {}, related };
    default:
      return { messageId: 'useSetSecrets', data: { secret }, related };
  }
}

export const placeholderSecret = defineRule({
  meta: {
    id: 'placeholder-secret',
    defaultSeverity: 'error',
    description: 'A secret-like variable holds a placeholder value in staging or production',
    fixable: false,
    // One message per place the real value should come from; `{{shape}}` describes the placeholder, never quotes it.
    messages: {
      takenFromSecret: '{{name}} for {{service}} ({{environment}}) is a placeholder ({{shape}}), not a secret: the {{environment}} deploy of {{deployed}} takes it from secret {{secret}}; read the real value from there (gcloud secrets versions access latest --secret={{secret}}) or remove this entry',
      useGithubSecret: '{{name}} for {{service}} ({{environment}}) is a placeholder ({{shape}}), not a secret: take it from a GitHub environment secret (${{ secrets.{{name}} }}) or from Secret Manager in the step\'s secrets: ({{name}}={{secret}}:latest)',
      useSecretKeyRef: '{{name}} for {{service}} ({{environment}}) is a placeholder ({{shape}}), not a secret: store it in Secret Manager and reference it with valueFrom.secretKeyRef (name: {{secret}}, key: latest)',
      useHostEnvironment: '{{name}} for {{service}} ({{environment}}) is a placeholder ({{shape}}), not a secret: pass it from the host environment (${{{name}}}) or a secrets file kept out of the repository',
      useSetSecrets: '{{name}} for {{service}} ({{environment}}) is a placeholder ({{shape}}), not a secret: store the real value in Secret Manager and reference it (--set-secrets {{name}}={{secret}}:latest)',
      storedPlaceholder: 'secret {{secret}} is given a placeholder value ({{shape}}) here, and {{readers}} {{take}} {{their}} value from it: store the real value instead (gcloud secrets versions add {{secret}} --data-file=-)',
    },
  },
  check({ model, report }) {
    for (const w of model.writes) {
      if (!w.environment || !DEPLOYED_ENVIRONMENTS.has(w.environment)) continue;
      if (w.write.value.kind !== 'literal' || !isSecretLike(w.write.name)) continue;
      const shape = placeholderShape(w.write.value.value);
      if (!shape) continue;
      const from = whereFrom(w, w.environment);
      report({
        file: w.file,
        span: w.write.value.span,
        key: `${w.environment}:${w.serviceName}:${w.write.name}`,
        messageId: from.messageId,
        data: { name: w.write.name, service: w.serviceName ?? 'this service', environment: w.environment, shape, ...from.data },
        related: from.related,
      });
    }
    for (const [file, facts] of model.files) {
      if (facts.isTest) continue;
      for (const sv of facts.secretValues) {
        const shape = placeholderShape(sv.value);
        const readers = shape ? readersOf(model, sv.secret) : [];
        if (!shape || readers.length === 0) continue;
        const names = [...new Set(readers.map((r) => `${r.write.name} of ${r.serviceName} (${r.environment})`))];
        report({
          file,
          span: sv.valueSpan,
          key: `stored:${sv.secret}`,
          messageId: 'storedPlaceholder',
          data: { secret: sv.secret, shape, readers: names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', '), take: names.length > 1 ? 'take' : 'takes', their: names.length > 1 ? 'their' : 'its' },
          related: readers.map((r) => ({ file: r.file, span: r.write.span, message: `${r.write.name} of ${r.serviceName} (${r.environment}) is taken from secret ${sv.secret} here` })),
        });
      }
    }
  },
});
