/**
 * Python deploy scripts, read into one DeployFact per service config or standalone gcloud command.
 * A deploy is declared as data (configs.ts: `ServiceConfig(name=..., environment_vars={...})`,
 * `SERVICES = {"api": {"env": {...}}}`, `ENV_VARS = {"staging": {...}}`) or run as a command
 * (commands.ts: `["gcloud", "run", "deploy", ...]`, shell strings). Configs are read first so a
 * command whose env flag is built from a config's dict
 * (`",".join(f"{k}={v}" for k, v in service.environment_vars.items())`, links.ts) fills those
 * configs in. Names resolve through one shared Scope (scope.ts); environment hints come last
 * because the script-wide ones apply to every deploy found. Image builds (builds.ts) and the values
 * a setup script stores in Secret Manager (secret-values.ts) are read from the same tree.
 */
import type { FileFacts } from '../../core/facts';
import { environmentNames, type EnvironmentNames } from '../../knowledge/environments';
import { defaultExtractOptions, type ExtractOptions } from '../options';
import { findBuilds } from './builds';
import { findCommands } from './commands';
import { findConfigs, findEnvKeyedDicts } from './configs';
import type { DeployContext, Node } from './context';
import { addHint, fileHints } from './environment-hints';
import { Scope } from './scope';
import { isOtherCloudIacModule } from '../../knowledge/other-platforms';
import { mayBuild, mentionsDeploying } from './prefilter';

export { mentionsDeploying, pythonDeployMayMatter, pythonDeployTrigger } from './prefilter';
import { findSecretValues } from './secret-values';

/** `_file` is unused: the dispatcher calls both Python readings alike, and a deploy script reads the same wherever it lives. */
export function extractPythonDeploy(_file: string, root: Node, text: string, facts: FileFacts, options: ExtractOptions = defaultExtractOptions): void {
  try {
    readDeployScript(root, text, facts, environmentNames(options.environments));
  } catch (err) {
    facts.problems.push({ message: `could not read this Python deploy script: ${(err as Error).message}` });
  }
}

function readDeployScript(root: Node, text: string, facts: FileFacts, envNames: EnvironmentNames): void {
  const deployish = mentionsDeploying(text);
  const builds = mayBuild(text);
  if (!deployish && !builds) return;
  const cx: DeployContext = { text, root, envNames, scope: new Scope(root, text), configs: [], claimed: new Set() };
  if (builds || text.includes('builds')) facts.builds.push(...findBuilds(cx));
  if (text.includes('secrets')) facts.secretValues.push(...findSecretValues(cx));
  if (!deployish) return;
  // Env dicts declared for another cloud (an AWS CDK stack's `environment={…}`) deploy no Cloud Run service.
  if (!importsOtherCloudIac(root)) {
    findConfigs(cx);
    findEnvKeyedDicts(cx);
  }
  const commands = text.includes('gcloud') ? findCommands(cx) : [];
  const all = [...cx.configs.map((c) => c.fact), ...commands];
  if (all.length === 0) return;
  const hints = fileHints(cx);
  // A dict keyed by environment says more about its entries than the script's defaults do.
  const keyed = new Set(cx.configs.filter((c) => c.envName !== undefined).map((c) => c.fact));
  all.sort((a, b) => a.span.start - b.span.start);
  for (const f of all) {
    if (!keyed.has(f)) for (const h of hints) addHint(f, h);
    facts.deploys.push(f);
  }
}

/** The module imports another cloud's infrastructure-as-code library at its top level. */
function importsOtherCloudIac(root: Node): boolean {
  for (const st of root.namedChildren) {
    if (!st || (st.type !== 'import_statement' && st.type !== 'import_from_statement')) continue;
    for (const n of st.namedChildren) {
      const name = n?.type === 'dotted_name' ? n.text : n?.type === 'aliased_import' ? n.namedChild(0)?.text : undefined;
      if (name && isOtherCloudIacModule(name)) return true;
    }
  }
  return false;
}
