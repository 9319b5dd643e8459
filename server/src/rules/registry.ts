/** Every rule, in the order of the README's rule table. Ids are a public contract. */
import type { Rule, RuleMeta } from './types';
import { gcpProjectIdUnwired } from './gcp-project-id-unwired';
import { secretManagerGate } from './secret-manager-gate';
import { oauthEnvMismatch } from './oauth-env-mismatch';
import { envUnsetForDeploy } from './env-unset-for-deploy';
import { jwtSecretDivergence } from './jwt-secret-divergence';
import { placeholderSecret } from './placeholder-secret';
import { cloudsqlSocketSsl } from './cloudsql-socket-ssl';
import { dbSslParamDriver } from './db-ssl-param-driver';
import { getterEnumMismatch } from './getter-enum-mismatch';
import { deployDrift } from './deploy-drift';
import { secretMissing } from './secret-missing';

export const RULES: Rule[] = [
  gcpProjectIdUnwired,
  secretManagerGate,
  oauthEnvMismatch,
  envUnsetForDeploy,
  jwtSecretDivergence,
  placeholderSecret,
  cloudsqlSocketSsl,
  dbSslParamDriver,
  getterEnumMismatch,
  deployDrift,
  secretMissing,
];

/** Rules that compare the repository with what is running: silent (and their suppressions not
 * "unused") unless the host supplied the deployed state (`deploy-preflight drift`). */
export const DEPLOYED_STATE_RULES: ReadonlySet<string> = new Set([deployDrift.meta.id, secretMissing.meta.id]);

/** Reported by the engine itself, not by a rule over the model. */
export const UNUSED_SUPPRESSION = {
  id: 'unused-suppression',
  defaultSeverity: 'info',
  description: 'A deploy-preflight-disable comment that silences nothing',
  fixable: true,
  messages: {
    unused: 'Unused suppression: no {{rule}} finding here to silence',
    /** The directive also lists a rule it does silence: only this id should go. */
    unusedInList: 'Unused suppression: no {{rule}} finding here to silence (remove {{rule}} from the directive\'s list)',
    unknownRule: 'Unknown rule id "{{rule}}" in suppression comment',
  },
} as const satisfies RuleMeta;
