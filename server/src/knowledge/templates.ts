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

/**
 * Google's sample container for Cloud Run ("hello"), which the Terraform and getting-started
 * guides deploy to create a service before any code exists
 * (`us-docker.pkg.dev/cloudrun/container/hello`, formerly `gcr.io/cloudrun/hello`). A deploy of it
 * runs none of the workspace's code: the real image arrives with another deploy.
 */
const SAMPLE_IMAGES = /^(?:us-docker\.pkg\.dev\/cloudrun\/container|gcr\.io\/cloudrun)\/(?:hello|placeholder)(?::[\w.-]+)?(?:@sha256:[0-9a-f]+)?$/;

export function isSampleImage(image: string): boolean {
  return SAMPLE_IMAGES.test(image.trim());
}

/**
 * Whether an image reference is a stand-in rather than an image anyone pushed: a placeholder in its
 * repository path (`imagePlaceholder`), or words that say so anywhere in it (`PLACEHOLDER_IMAGE_URI`,
 * `gcr.io/xxxxx/api`), which a valid lower-case name may still spell.
 */
export function isStandInImage(image: string): boolean {
  return imagePlaceholder(image) !== undefined || /placeholder|x{4,}/i.test(image);
}
