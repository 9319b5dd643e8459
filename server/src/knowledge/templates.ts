/**
 * Placeholders that mark a deploy file as a template to fill in before use: an image reference
 * whose repository path is no valid image name. Docker's reference grammar
 * (https://github.com/distribution/reference, "path-component") allows only lower-case letters,
 * digits and separators in the path, and GCP project ids are lower-case too, so
 * `gcr.io/PROJECT_ID/api`, `REGION-docker.pkg.dev/my-proj/repo/api`, `gcr.io/<project-id>/api`
 * and `gcr.io/[PROJECT]/api` can only be stand-ins someone replaces. Variables (`$PROJECT_ID`,
 * `${PROJECT_ID}`) are not placeholders: a tool substitutes them.
 */

/** The first stand-in in an image reference's repository path (not its tag or digest), if any. */
export function imagePlaceholder(image: string): string | undefined {
  if (image.includes('$')) return undefined;
  const withoutDigest = image.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const path = colon > slash && slash >= 0 ? withoutDigest.slice(0, colon) : withoutDigest;
  if (!path.includes('/')) return undefined; // `api:latest`, a local name: nothing to tell
  return path.split('/').find((seg) => /[A-Z<>[\]]/.test(seg));
}
