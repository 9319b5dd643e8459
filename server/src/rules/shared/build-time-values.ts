/**
 * Values a front-end build inlines (`import.meta.env.VITE_API_URL`, `process.env.NEXT_PUBLIC_…`)
 * that a deploy gives only to the running container (`--set-env-vars`), while the build that
 * made its image never got them. The bundle keeps whatever the build had — a Dockerfile `ARG`
 * default such as `http://localhost:8004`, or nothing — and the run-time value is never read.
 *
 * Claimed only when the build is seen whole: every build of the deploy's image is in the
 * workspace, passes its `--build-arg`s readably (none of them this name, or this name to a
 * Dockerfile that declares no `ARG` for it), uses a Dockerfile of the workspace that starts no
 * script at run time (which could write the value into the bundle) nor sets the name with `ENV`
 * in any stage (the build then has that value), and no env file in its
 * context sets the name (Vite reads `.env.production` when it builds; a template is not read).
 * Not when every read's fallback is the text the deploy sets: the bundle holds it anyway.
 */
import * as path from 'node:path';
import { isBuildConfigFile, isBuildTimeRead, isNextConfigFile, isNextServerOnlyFile } from '../../knowledge/build-time-env';
import { isNextAppFolder, nearestPackageDir } from '../../model/inlined-reads';
import { isTemplateEnvFile } from '../../knowledge/environments';
import type { DeployTarget, ReadRef, WorkspaceModel, WriteRef } from '../../model/workspace-model';
import type { ImageBuild } from '../../model/shipped-code';
import { contextReceives } from '../../model/build-context';
import type { DeployFact } from '../../core/facts';

export interface RuntimeOnlyValue {
  name: string;
  /** The run-time entry that sets it. */
  write: WriteRef;
  /** The reads, all inlined at build time. */
  reads: ReadRef[];
  /** The builds of the image, none of which passes it. */
  builds: ImageBuild[];
}

export function runtimeOnlyBuildValues(model: WorkspaceModel, t: DeployTarget, buildTime: ReadonlyMap<string, ReadRef[]>): RuntimeOnlyValue[] {
  const out: RuntimeOnlyValue[] = [];
  for (const [name, rs] of buildTime) {
    // Each deploy path that sets it at run time, with builds of its own (a workflow and a Cloud
    // Build file may build the image differently).
    const seen = new Set<string>();
    for (const write of t.writes.get(name) ?? []) {
      // A value mounted from a secret is left out: measured, most are read by server code, which
      // gets the running container's value when the build had none (see `readByServer`).
      if (!write.deploy || write.block.kind !== 'env') continue;
      // The deploy's own file: an entry may be written in another (a Terraform local, `EnvWrite.file`).
      const file = t.deploys.find((d) => d.deploy === write.deploy)?.file ?? write.file;
      if (seen.has(file)) continue;
      seen.add(file);
      const builds = buildsRunning(model, t, write.deploy, file);
      if (builds.length === 0 || !builds.every((b) => buildLacks(model, b, name))) continue;
      if (fallbacksGive(rs, write)) continue;
      out.push({ name, write, reads: rs, builds });
    }
  }
  return out;
}

/** The builds of the image that runs with the env of `deploy` (written in `file`): its own, or,
 * where the deploy leaves the image to others (Terraform's `ignore_changes` on the image, CI
 * swapping it in with `gcloud run deploy --image`, an update naming no image after the deploy
 * that does), those of every other deploy of the target. None when one of those builds from source or an image
 * built out of sight: the builds are then not seen whole. */
function buildsRunning(model: WorkspaceModel, t: DeployTarget, deploy: DeployFact, file: string): ImageBuild[] {
  const own = model.services.imageBuilds(file, deploy);
  const keepsImage = (d: DeployFact): boolean => !!d.imageSetElsewhere || (!!d.amends && !d.image);
  if (own.length || !keepsImage(deploy)) return own;
  const others = t.deploys.filter((d) => d.deploy !== deploy && !keepsImage(d.deploy));
  const builds = others.map((d) => model.services.imageBuilds(d.file, d.deploy));
  return builds.length && builds.every((b) => b.length) ? builds.flat() : [];
}

/** Every read falls back to the very text the deploy sets at run time (`process.env.NEXT_PUBLIC_API_URL
 * || 'https://api.example.com'` beside `NEXT_PUBLIC_API_URL=https://api.example.com`), save a
 * config entry passing the name on: the bundle built without it holds that text anyway. */
function fallbacksGive(reads: ReadRef[], write: WriteRef): boolean {
  const v = write.write.value;
  if (v.kind !== 'literal') return false;
  const own = reads.filter((r) => !r.read.forwardsOwnName);
  return own.length > 0 && own.every((r) => r.read.inlinedFallback === v.value);
}

/** The service's names read only where a build inlines them, with those reads (one pass: the
 * rules run on every edit, and a service may read thousands of variables). */
export function buildTimeOnly(reads: ReadRef[], model?: WorkspaceModel): Map<string, ReadRef[]> {
  const byName = new Map<string, ReadRef[]>();
  const runtime = new Set<string>();
  for (const r of reads) {
    // A development build's value (`if (import.meta.env.DEV)`) is never in a deployed bundle.
    if (r.isTest || r.read.devOnly) continue;
    const name = r.read.name;
    if ((!r.read.buildTime && !isBuildTimeRead(r.read.via, name, r.file)) || (model && (readByPlainNode(model, r) || readByServer(model, r)))) { runtime.add(name); continue; }
    const list = byName.get(name);
    if (list) list.push(r); else byName.set(name, [r]);
  }
  for (const name of runtime) byName.delete(name);
  return byName;
}

/**
 * A `process.env.NEXT_PUBLIC_…` read in a package that is no Next.js app (a NestJS or Express
 * backend beside it in a monorepo): Node reads it when the code runs, nothing inlines it. Said
 * only where the nearest package.json is seen, depends on no framework that inlines, and its
 * folder holds no Next.js config.
 */
function readByPlainNode(model: WorkspaceModel, r: ReadRef): boolean {
  if (r.read.via !== 'process.env' || !r.read.name.startsWith('NEXT_PUBLIC_') || isNextConfigFile(r.file) || isBuildConfigFile(r.file)) return false;
  const dir = nearestPackageDir(model.files, path.posix.dirname(r.file));
  return dir !== undefined && !isNextAppFolder(model.files, dir ? `${dir}/` : '');
}

/**
 * A `process.env.NEXT_PUBLIC_…` read in code that runs on the server only — a route handler, an
 * API route, middleware, instrumentation, a `'use server'` module. Next.js inlines a name only
 * where the build has a value for it; where it has none, server code reads the running
 * container's value, so giving it only at run time works there.
 */
function readByServer(model: WorkspaceModel, r: ReadRef): boolean {
  if (r.read.via !== 'process.env' || !r.read.name.startsWith('NEXT_PUBLIC_')) return false;
  return isNextServerOnlyFile(r.file) || model.files.get(r.file)?.directive === 'use server';
}

/** The build is seen whole and gives the bundle nothing named `name`. */
function buildLacks(model: WorkspaceModel, b: ImageBuild, name: string): boolean {
  const args = b.build.buildArgs;
  if (!args || args.dynamic) return false;
  // A context we could not read (`"${SRC}"` from a `$(cd …)`) is not known to be the one taken.
  if (b.build.context && b.build.context.value === undefined) return false;
  const df = b.dockerfile ? model.files.get(b.dockerfile)?.dockerfile : undefined;
  if (!b.dockerfile || df?.startupScript) return false;
  // `ENV NEXT_PUBLIC_API_URL=https://…` before `npm run build`: the build has a value.
  if (df?.buildEnv?.includes(name)) return false;
  if (args.names.includes(name) && !undeclaredArg(model, b, name)) return false;
  for (const [file, facts] of model.files) {
    // A template (`.env.example`) documents the names; no build loads it. Nor does it load one the
    // context's `.dockerignore` leaves out (`.env.local` there: a developer's, not the image's).
    const base = path.posix.basename(file);
    if (!facts.envFile || !base.startsWith('.env') || isTemplateEnvFile(base) || !contextReceives(model.files, b.context, file)) continue;
    if (facts.envFile.entries.some((e) => e.name === name)) return false;
  }
  return true;
}

/** The build passes `--build-arg name`, but its Dockerfile (read, in the workspace) declares no
 * `ARG name` in any stage: Docker leaves such a value out of the build and only warns. */
export function undeclaredArg(model: WorkspaceModel, b: ImageBuild, name: string): boolean {
  if (!b.build.buildArgs?.names.includes(name) || !b.dockerfile) return false;
  const facts = model.files.get(b.dockerfile);
  if (!facts) return false;
  return !(facts.dockerfile?.args ?? []).includes(name);
}
