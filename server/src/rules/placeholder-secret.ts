/**
 * A secret-like variable whose staging/production value is a placeholder (`REPLACE_WITH_…`,
 * `changeme`, `your-…-here`, `<…>`, `TODO`). Fires on the value, never on the name alone, and
 * never in development or template files.
 */
import type { Rule } from './types';
import { DEPLOYED_ENVIRONMENTS } from '../model/environments';
import { isSecretLike } from './shared/deploy-knowledge';

const PLACEHOLDERS: { re: RegExp; shape: string }[] = [
  { re: /^(REPLACE|FILL)[_-]?(ME|IN|WITH|THIS)(?:[_-]|$)/i, shape: 'REPLACE_WITH_…' },
  { re: /^(change[_-]?me|changeit|change[_-]?this)/i, shape: 'changeme' },
  { re: /^your[_-].*[_-]here$/i, shape: 'your-…-here' },
  { re: /^<[^<>]*>$/, shape: '<…>' },
  { re: /^(TODO|TBD|FIXME|XXX+|PLACEHOLDER|DUMMY|SECRET|PASSWORD|NONE|NULL|CHANGEME)$/i, shape: 'a stand-in word' },
  { re: /^\$\{?[A-Z_]+\}?$/, shape: 'an unexpanded variable' },
];

export function placeholderShape(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  return PLACEHOLDERS.find((p) => p.re.test(v))?.shape;
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
      const secretName = `${w.write.name.toLowerCase().replace(/_/g, '-')}-${w.environment}`;
      report({
        file: w.file,
        span: w.write.value.span,
        key: `${w.environment}:${w.serviceName}:${w.write.name}`,
        message: `${w.write.name} for ${w.serviceName ?? 'this service'} (${w.environment}) is a placeholder (${shape}), not a secret: store the real value in Secret Manager and reference it (--set-secrets ${w.write.name}=${secretName}:latest)`,
        related: w.target ? w.target.deploys.slice(0, 1).map((d) => ({ file: d.file, span: d.deploy.service?.span ?? d.deploy.span, message: `deploy of ${w.target!.serviceName} (${w.environment})` })) : [],
      });
    }
  },
};
