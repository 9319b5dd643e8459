/**
 * Whether a Python file may hold a deploy, from its bytes alone: the Python deploy reading's
 * prefilter. Its own module, without the parsers, because the engine also asks it before a load
 * (a script folder's files that cannot deploy wait until after the early publish).
 */

/** Substrings that a file declaring env vars as data contains; any `gcloud` may be a command. */
const PREFILTER_NEEDLES = [
  'environment_vars', 'env_vars', 'ENV_VARS', 'env_variables', 'environment_variables', 'secret_env', 'secrets_map',
  '"env"', "'env'", '"envs"', "'envs'", '"environment"', "'environment'", 'env={', 'envs={', 'environment={',
];

/** A script that may run an image build (`docker build`, `podman build`). */
export function mayBuild(text: string): boolean {
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
