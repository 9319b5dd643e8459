/**
 * What the platform provides and what GCP code consults. Sources: Cloud Run's container runtime
 * contract (https://cloud.google.com/run/docs/container-contract#env-vars) for services and jobs;
 * the Cloud Run functions environment (below) for functions;
 * the Google auth libraries' documented lookup of the project (`GOOGLE_CLOUD_PROJECT`, the
 * older `GCP_PROJECT`) and of credentials (`GOOGLE_APPLICATION_CREDENTIALS`).
 */

/** Set by Cloud Run in every service container (reserved: a deploy cannot set them). */
export const CLOUD_RUN_SERVICE_VARIABLES = ['PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION'] as const;

/** A name a Cloud Run service deploy may not set: the platform sets it, and rejects the deploy
 * ("The following reserved env names were provided"). */
export function isReservedOnCloudRun(name: string): boolean {
  return (CLOUD_RUN_SERVICE_VARIABLES as readonly string[]).includes(name);
}

/** Set by Cloud Run in every job task. */
export const CLOUD_RUN_JOB_VARIABLES = [
  'CLOUD_RUN_JOB', 'CLOUD_RUN_EXECUTION', 'CLOUD_RUN_TASK_INDEX', 'CLOUD_RUN_TASK_ATTEMPT', 'CLOUD_RUN_TASK_COUNT',
] as const;

/** Set in every instance of a Cloud Run function (`gcloud functions deploy`, 2nd gen and 1st gen
 * on current runtimes): the entry point and signature type the Functions Framework starts, beside
 * the service variables. Source: the "newer runtimes" list of
 * https://cloud.google.com/functions/docs/configuring/env-var#newer_runtimes (the older runtimes'
 * FUNCTION_NAME, GCP_PROJECT, … are not set on current runtimes and are not listed). */
export const CLOUD_FUNCTION_VARIABLES = ['FUNCTION_TARGET', 'FUNCTION_SIGNATURE_TYPE', 'K_SERVICE', 'K_REVISION', 'PORT'] as const;

/**
 * Whether Cloud Run leaves `name` unset in every container of `platform`, though it sets it
 * elsewhere: a job's task has no `K_SERVICE`, `K_REVISION`, `K_CONFIGURATION` nor `PORT` (it
 * serves nothing), and a service's or function's container no `CLOUD_RUN_JOB`, … (the container
 * contract's lists for services and for jobs).
 */
export function unsetOnPlatform(name: string, platform: string): boolean {
  if (platform === 'cloud-run-job') return (CLOUD_RUN_SERVICE_VARIABLES as readonly string[]).includes(name) || (CLOUD_FUNCTION_VARIABLES as readonly string[]).includes(name);
  if (platform === 'cloud-run' || platform === 'cloud-function') return (CLOUD_RUN_JOB_VARIABLES as readonly string[]).includes(name);
  return false;
}

/** Process and runtime basics every container has, or that build tools and CI set: never a
 * deploy's job to provide. */
export const PROCESS_VARIABLES = [
  'HOME', 'PATH', 'HOSTNAME', 'USER', 'PWD', 'SHELL', 'LANG', 'TZ', 'TMPDIR', 'TERM',
  'NODE_ENV', 'PYTHONPATH', 'PYTHONUNBUFFERED', 'CI', 'GITHUB_ACTIONS', 'DEBUG',
] as const;

const PROVIDED = new Set<string>([...CLOUD_RUN_SERVICE_VARIABLES, ...CLOUD_RUN_JOB_VARIABLES, ...CLOUD_FUNCTION_VARIABLES, ...PROCESS_VARIABLES]);

/** A variable the running container has without any deploy setting it. */
export function isProvidedByPlatform(name: string): boolean {
  return PROVIDED.has(name);
}

/** Variables that name the GCP project, in the order code usually consults them. Cloud Run sets
 * none of them on current runtimes: a service learns its project from the metadata server or
 * from a variable its deploy sets. */
export const GCP_PROJECT_VARIABLES = ['GCP_PROJECT_ID', 'GOOGLE_CLOUD_PROJECT', 'GCP_PROJECT'] as const;

/** Path of a service-account key file, read by the Google auth libraries. */
export const GCP_CREDENTIALS_VARIABLE = 'GOOGLE_APPLICATION_CREDENTIALS';

/** Variables Cloud Run code does best without: unset, the Google auth libraries take the
 * service's own identity from the metadata server (Application Default Credentials), which is
 * what a Cloud Run service is meant to use; a key file path is for running elsewhere. Source:
 * https://cloud.google.com/docs/authentication/application-default-credentials (the lookup
 * order: the variable, then the attached service account). A read of one is never a Cloud Run
 * deploy's requirement. */
const AMBIENT_ON_CLOUD_RUN: ReadonlySet<string> = new Set([GCP_CREDENTIALS_VARIABLE]);

export function ambientOnCloudRun(name: string): boolean {
  return AMBIENT_ON_CLOUD_RUN.has(name);
}

/** Variables whose presence code takes to mean "running on GCP" when deciding to use Secret
 * Manager: a condition over these is a Secret Manager gate. */
export const GCP_PRESENCE_SIGNALS: ReadonlySet<string> = new Set([...GCP_PROJECT_VARIABLES, GCP_CREDENTIALS_VARIABLE, 'K_SERVICE', 'CLOUD_RUN_JOB']);

/** Signals a robust gate accepts, best first: the project variable the deploy may set, the
 * credentials path, and `K_SERVICE`, which Cloud Run always sets. */
export const RECOMMENDED_GATE_SIGNALS = ['GCP_PROJECT_ID', 'GOOGLE_CLOUD_PROJECT', GCP_CREDENTIALS_VARIABLE, 'K_SERVICE'] as const;

/** Signals other than `GCP_PROJECT_ID` that code uses to detect GCP (a presence test of
 * `GCP_PROJECT_ID` beside one of them is one alternative among several, not a requirement). */
export const OTHER_GCP_SIGNALS: ReadonlySet<string> = new Set(['GOOGLE_CLOUD_PROJECT', 'GCP_PROJECT', GCP_CREDENTIALS_VARIABLE, 'K_SERVICE', 'CLOUD_RUN_JOB']);

/**
 * Deploy platforms that run on Cloud Run, deployed by gcloud, Terraform or a manifest: services,
 * jobs, and Cloud Run functions (2nd gen functions are Cloud Run services). Their deploys keep the
 * variables they do not mention, and their names identify one running service.
 */
const CLOUD_RUN_PLATFORMS: ReadonlySet<string> = new Set(['cloud-run', 'cloud-run-job', 'cloud-function']);

export function runsOnCloudRun(platform: string): boolean {
  return CLOUD_RUN_PLATFORMS.has(platform);
}

/**
 * Env and secret flags of `gcloud run deploy` / `services update` / `jobs deploy` of which gcloud
 * accepts at most one group per command ("At most one of these can be specified"): it refuses
 * `--set-env-vars` beside `--update-env-vars`, and so on. Source: the flag groups of
 * https://cloud.google.com/sdk/gcloud/reference/run/deploy.
 */
const EXCLUSIVE_FLAG_GROUPS: readonly (readonly (readonly string[])[])[] = [
  [['--clear-env-vars'], ['--env-vars-file'], ['--set-env-vars'], ['--update-env-vars', '--remove-env-vars']],
  [['--clear-secrets'], ['--set-secrets'], ['--update-secrets', '--remove-secrets']],
];

/** Why gcloud refuses a command (`DeployFact.rejected`), as a clause; never an item's text,
 * which may be part of a secret. */
export function refusal(r: { why: 'exclusive' | 'split' | 'stray'; flag: string; other?: string; delimiter?: string; name?: string }): string {
  if (r.why === 'exclusive') return `${r.other} with ${r.flag}: it accepts only one of them`;
  if (r.why === 'stray') return `${r.name}=… after the ${r.flag} list is an argument of its own, and it takes one, the service`;
  return `${r.flag} splits its list at ${JSON.stringify(r.delimiter ?? ',')}, leaving an item that is no NAME=value`;
}

/** The first pair of flags in `flags` that gcloud refuses together. */
export function exclusiveFlagsUsed(flags: { has(flag: string): boolean }): { first: string; second: string } | undefined {
  for (const groups of EXCLUSIVE_FLAG_GROUPS) {
    const used = groups.map((g) => g.find((f) => flags.has(f))).filter((f): f is string => !!f);
    if (used.length > 1) return { first: used[0]!, second: used[1]! };
  }
  return undefined;
}

/** A URL of the machine the code runs on (`http://localhost:5173`, `http://127.0.0.1:8000/cb`):
 * a development default. In a Cloud Run container it names the container itself, so a link, a
 * redirect or an allowed origin built from it points nowhere a user or another service can reach. */
export function isLoopbackUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?:[:/?#]|$)/i.test(text.trim());
}
