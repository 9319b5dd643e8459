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
import { findSecretValues } from './secret-values';

/** Substrings that a file declaring env vars as data contains; any `gcloud` may be a command. */
const PREFILTER_NEEDLES = [
  'environment_vars', 'env_vars', 'ENV_VARS', 'env_variables', 'environment_variables', 'secret_env', 'secrets_map',
  '"env"', "'env'", '"envs"', "'envs'", '"environment"', "'environment'", 'env={', 'envs={', 'environment={',
];

/** A script that may run an image build (`docker build`, `podman build`). */
function mayBuild(text: string): boolean {
  return (text.includes('docker') || text.includes('podman')) && text.includes('build');
}

/** Whether a script mentions deploying at all: an env dict in a file that never does is
 * application settings, not a deploy (and a gcloud command line always does). */
export function mentionsDeploying(text: string): boolean {
  return text.includes('gcloud') || text.includes('deploy') || text.includes('Deploy') || text.includes('DEPLOY') ||
    text.includes('Cloud Run') || text.includes('cloud run') || text.includes('run_v2');
}

/** Cheap byte-level test: most service code never reaches the parser for this extractor. A
 * script that never mentions deploying holds no deploy (`readDeployScript` stops there). */
export function pythonDeployMayMatter(text: string): boolean {
  return pythonDeployTrigger(text) !== undefined;
}

/** Which test admits the file (scripts/prefilter-stats.ts counts what each one admits). */
export function pythonDeployTrigger(text: string): 'gcloud' | 'image build' | 'env dict' | undefined {
  if (text.includes('gcloud')) return 'gcloud';
  if (mayBuild(text)) return 'image build';
  if (!text.includes('env') && !text.includes('ENV')) return undefined;
  if (!mentionsDeploying(text)) return undefined;
  for (const n of PREFILTER_NEEDLES) if (text.includes(n)) return 'env dict';
  return undefined;
}

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
  findConfigs(cx);
  findEnvKeyedDicts(cx);
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
