/** Every rule, in the order of the design's table. Ids are a public contract. */
import type { Rule } from './types';
import { gcpProjectIdUnwired } from './gcp-project-id-unwired';
import { secretManagerGate } from './secret-manager-gate';
import { oauthEnvMismatch } from './oauth-env-mismatch';
import { envUnsetForDeploy } from './env-unset-for-deploy';
import { jwtSecretDivergence } from './jwt-secret-divergence';
import { placeholderSecret } from './placeholder-secret';
import { cloudsqlSocketSsl } from './cloudsql-socket-ssl';
import { dbSslParamDriver } from './db-ssl-param-driver';
import { getterEnumMismatch } from './getter-enum-mismatch';

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
];

/** Reported by the engine itself, not by a rule over the model. */
export const UNUSED_SUPPRESSION = {
  id: 'unused-suppression',
  defaultSeverity: 'info' as const,
  description: 'A deploy-preflight-disable comment that silences nothing',
  fixable: true,
};
