/**
 * Images published on Docker Hub by others (`cloudflare/cloudflared:latest`,
 * `docker.io/grafana/grafana`): a deploy of one runs that vendor's program, configured by its
 * env, not the workspace's code. Docker's reference grammar
 * (https://github.com/distribution/reference) reads the first path component as a registry host
 * only when it holds a `.` or a `:` or is `localhost`; any other reference is on Docker Hub.
 * Images in a project's registry (`gcr.io/…`, `REGION-docker.pkg.dev/…`) are never published
 * ones here: the workspace may build them where it cannot be seen.
 */

const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Whether `image`, written out whole (no variable, no stand-in), names a Docker Hub image. */
export function isDockerHubImage(image: string): boolean {
  const ref = image.trim();
  if (!ref || /[$<>[\]{}\s]/.test(ref) || /[A-Z]/.test(ref.split('@')[0]!.replace(/:[\w.-]+$/, ''))) return false;
  const [first, ...rest] = ref.split('/');
  // A bare name (`website`, `api:1`) is most often no image at all but one a build tool puts in
  // its place (Skaffold and Cloud Deploy render `image: website`), rarely an official image.
  if (rest.length === 0) return false;
  if (DOCKER_HUB_HOSTS.has(first!)) return true;
  return !first!.includes('.') && !first!.includes(':') && first !== 'localhost';
}
