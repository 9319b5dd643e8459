/**
 * How each rule's results rank in code scanning (SARIF `properties`): tags, precision and the
 * problem severity GitHub sorts and filters by.
 *
 * Precision says how often a result is a real problem. The real-world corpus
 * (test/corpus/FINDINGS.md) has not yet shown any rule to be reliably right, so every rule that
 * infers a link between files is `medium` until its measured precision says otherwise; only the
 * engine's own unused-suppression check, which reads one comment, is `high`.
 */
import type { SeverityName } from '../../core/config';

interface RuleRanking {
  tags: string[];
  precision: 'very-high' | 'high' | 'medium' | 'low';
  /** Secrets shipped or split between services: a security problem, scored for GitHub (CVSS-like 0–10). */
  securitySeverity?: string;
}

const RANKING: Record<string, RuleRanking> = {
  'gcp-project-id-unwired': { tags: ['deploy', 'cloud-run', 'env', 'correctness'], precision: 'medium' },
  'secret-manager-gate': { tags: ['deploy', 'cloud-run', 'secrets', 'correctness'], precision: 'medium' },
  'oauth-env-mismatch': { tags: ['deploy', 'cloud-run', 'env', 'oauth', 'correctness'], precision: 'medium' },
  'env-unset-for-deploy': { tags: ['deploy', 'cloud-run', 'env', 'correctness'], precision: 'medium' },
  'jwt-secret-divergence': { tags: ['deploy', 'secrets', 'security'], precision: 'medium', securitySeverity: '5.0' },
  'placeholder-secret': { tags: ['deploy', 'secrets', 'security'], precision: 'medium', securitySeverity: '7.0' },
  'cloudsql-socket-ssl': { tags: ['deploy', 'cloud-sql', 'database', 'correctness'], precision: 'medium' },
  'db-ssl-param-driver': { tags: ['deploy', 'database', 'correctness'], precision: 'medium' },
  'getter-enum-mismatch': { tags: ['code', 'correctness'], precision: 'medium' },
  'unused-suppression': { tags: ['maintainability'], precision: 'high' },
};

/** GitHub's problem severities: error, warning, recommendation. */
const PROBLEM_SEVERITY: Record<SeverityName, string> = { error: 'error', warning: 'warning', info: 'recommendation' };

export function sarifRuleProperties(id: string, defaultSeverity: SeverityName): Record<string, unknown> {
  const r = RANKING[id] ?? { tags: ['deploy'], precision: 'medium' };
  return {
    tags: r.tags,
    precision: r.precision,
    'problem.severity': PROBLEM_SEVERITY[defaultSeverity] ?? 'warning',
    ...(r.securitySeverity ? { 'security-severity': r.securitySeverity } : {}),
  };
}

/** Rule ids with a ranking (a test checks every rule has one). */
export const RANKED_RULES = Object.keys(RANKING);
