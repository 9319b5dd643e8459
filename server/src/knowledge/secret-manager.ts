/**
 * How Secret Manager secrets are named where deploys refer to them: by short name (`jwt`) or by
 * resource name (`projects/acme/secrets/jwt`), and in Terraform by a
 * `google_secret_manager_secret`'s attributes that hold its name.
 */

/** `projects/p/secrets/jwt` (a secret's resource name, Terraform's `.id`) is the secret `jwt`. */
export function secretShortName(ref: string): string {
  return ref.replace(/^projects\/[^/]+\/secrets\//, '');
}

/** `jwt:3` → the reference `jwt` and version `3` (`jwt` alone has no version), as written. */
export function splitSecretRef(text: string): { ref: string; version?: string } {
  const m = /^(.*?)(?::([^:]+))?$/.exec(text);
  return { ref: m?.[1] ?? text, version: m?.[2] };
}

/** A deploy's secret reference (`jwt:3`, `projects/p/secrets/jwt:latest`, or a version's resource
 * name, `projects/p/secrets/jwt/versions/3`): the secret's short name and the version, if any. */
export function secretRef(text: string): { secret: string; version?: string } {
  const { ref, version } = splitSecretRef(text);
  const ofVersion = /^projects\/[^/]+\/secrets\/([^/]+)\/versions\/([^/]+)$/.exec(ref);
  if (ofVersion) return { secret: ofVersion[1]!, version: version ?? ofVersion[2] };
  return { secret: secretShortName(ref), version };
}

/** Attributes of a `google_secret_manager_secret` that `secret_key_ref.secret` accepts as its name. */
export const SECRET_NAME_ATTRIBUTES: ReadonlySet<string> = new Set(['secret_id', 'id', 'name']);
