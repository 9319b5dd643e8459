/**
 * A secret-like variable whose staging/production value is a placeholder (`REPLACE_WITH_…`,
 * `changeme`, `your-…-here`, `<…>`, `TODO`). Fires on the value, never on the name alone, and
 * never in development or template files (`.env.example`, `.env.development`). The message says
 * where the real value should come from; there is no automatic fix (only a person has the value).
 */
import type { Rule } from './types';
import { placeholderShape } from '../knowledge/secrets';
import type { Related } from '../core/findings';
import type { WriteRef } from '../model/workspace-model';
import { DEPLOYED_ENVIRONMENTS } from '../knowledge/environments';
import { conventionalSecretName } from './shared/deploy-knowledge';
import { isSecretLike } from '../knowledge/secrets';

/** Where the real value should come from, in the terms of the file that holds the placeholder. */
function whereFrom(w: WriteRef, environment: string): { text: string; related: Related[] } {
  const t = w.target;
  // The deploy already takes this variable from a secret: the placeholder is a stray copy.
  const fromSecret = t ? [...(t.writes.get(w.write.name) ?? [])].find((x) => x !== w && x.write.value.kind === 'secret') : undefined;
  if (fromSecret && fromSecret.write.value.kind === 'secret') {
    return {
      text: `the ${environment} deploy of ${t!.serviceName} takes it from secret ${fromSecret.write.value.secret}; read the real value from there (gcloud secrets versions access latest --secret=${fromSecret.write.value.secret}) or remove this entry`,
      related: [{ file: fromSecret.file, span: fromSecret.write.nameSpan, message: `${w.write.name} taken from secret ${fromSecret.write.value.secret} here` }],
    };
  }
  const secret = t ? conventionalSecretName(w.write.name, environment, t) : `${w.write.name.toLowerCase().replace(/_/g, '-')}-${environment}`;
  const related: Related[] = t ? t.deploys.slice(0, 1).map((d) => ({ file: d.file, span: d.deploy.service?.span ?? d.deploy.span, message: `deploy of ${t.serviceName} (${environment})` })) : [];
  switch (w.deploy?.via) {
    case 'github-actions':
      return { text: `take it from a GitHub environment secret (\${{ secrets.${w.write.name} }}) or from Secret Manager in the step's secrets: (${w.write.name}=${secret}:latest)`, related };
    case 'knative':
    case 'kubernetes':
      return { text: `store it in Secret Manager and reference it with valueFrom.secretKeyRef (name: ${secret}, key: latest)`, related };
    case 'compose':
      return { text: `pass it from the host environment (\${${w.write.name}}) or a secrets file kept out of the repository`, related };
    default:
      return { text: `store the real value in Secret Manager and reference it (--set-secrets ${w.write.name}=${secret}:latest)`, related };
  }
}

export const placeholderSecret: Rule = {
  meta: {
    id: 'placeholder-secret',
    defaultSeverity: 'error',
    description: 'A secret-like variable holds a placeholder value in staging or production',
    fixable: false,
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
        message: `${w.write.name} for ${w.serviceName ?? 'this service'} (${w.environment}) is a placeholder (${shape}), not a secret: ${from.text}`,
        related: from.related,
      });
    }
  },
};
