/**
 * The model iterates only files that hold facts (engine/workspace.ts `hasFacts`). A field of
 * `FileFacts` that `hasFacts` does not know makes a file holding only that kind invisible to every
 * rule, while `get` still answers: the extractor's own tests pass and nothing reports. Every field
 * is classified here; a new one fails the typecheck until it is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyFacts, type FileFacts } from '../../server/src/core/facts';
import { hasFacts } from '../../server/src/engine/workspace';

/** `fact`: a file holding only this must be iterated. `lookup`: read by path (`files.get`) only.
 * `meta`: describes the file, holds no fact of its own. */
const FIELDS: Record<keyof FileFacts, 'fact' | 'lookup' | 'meta'> = {
  file: 'meta', kind: 'meta', role: 'meta', hash: 'meta', crlf: 'meta',
  isTest: 'meta', isScript: 'meta', isProgram: 'meta', isToolConfig: 'meta', runsElsewhere: 'meta', envFileNeedsReference: 'meta', dotenvSyntax: 'meta',
  // PassedReads looks a callee's parameters up by its path; accessor definitions serve the file itself.
  optionalParams: 'lookup', accessorDefs: 'lookup',
  // InlinedReads looks a package's framework up by the package.json's path.
  inlinedPrefixes: 'lookup', nextAuthMajor: 'lookup', mentionsTrustHost: 'fact', scriptRuns: 'lookup', scriptChains: 'lookup', packageEntry: 'lookup',
  // The module graph looks a folder's tsconfig up by its path.
  moduleAliases: 'lookup',
  contextIgnore: 'lookup',
  directive: 'lookup',
  usedOnlyIn: 'lookup',
  // The module graph follows a module's imports by path.
  moduleLinks: 'lookup',
  // An image's entrypoint script is looked up by its path.
  startsProgram: 'lookup',
  backgroundWhen: 'lookup',
  startsListening: 'lookup',
  // FunctionCallers asks every file's words, through the host's everyFile, facts or none.
  words: 'lookup', definedNames: 'lookup', getterCalls: 'lookup', switchedCalls: 'lookup',
  // CheckedReads looks a guard function's tests up by its file's path.
  presenceChecks: 'lookup',
  reads: 'fact', dynamicReads: 'fact', deploys: 'fact', builds: 'fact', buildConfigRuns: 'fact', dockerfile: 'fact',
  secretValues: 'fact', envLoads: 'fact', runEnv: 'fact', envFile: 'fact', secretInventory: 'fact', terraformVars: 'fact', terraformModuleCalls: 'fact',
  dbUrls: 'fact', driverUses: 'fact', enums: 'fact', accessors: 'fact', comparisons: 'fact', gates: 'fact',
  suppressions: 'fact', problems: 'fact', workflowCalls: 'fact', workflowInputs: 'fact', deliveryStages: 'fact',
  deliveryTargets: 'fact', skaffold: 'fact', imports: 'fact', accessorCalls: 'fact', yamlMentions: 'fact', terraformVarsPassed: 'fact', scriptMentions: 'fact', buildTriggerFiles: 'fact', fixedListen: 'fact', unreadDeploy: 'fact',
};

/** The fields that hold one object rather than a list. */
const OBJECTS = new Set<keyof FileFacts>(['dockerfile', 'envFile', 'workflowInputs', 'fixedListen']);

test('every kind of fact makes its file one the model iterates; descriptions of the file do not', () => {
  for (const [field, role] of Object.entries(FIELDS) as [keyof FileFacts, string][]) {
    if (role === 'meta' && ['file', 'kind', 'hash'].includes(field)) continue; // always present
    const f = emptyFacts('svc/app.py', 'python', 'h') as unknown as Record<string, unknown>;
    const sample = OBJECTS.has(field) ? {} : typeof f[field] === 'string' ? 'x' : role === 'meta' ? true : [{}];
    f[field] = sample;
    assert.equal(hasFacts(f as unknown as FileFacts), role === 'fact', `${field} (${role})`);
  }
});
