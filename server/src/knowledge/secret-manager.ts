/**
 * How Secret Manager secrets are named where deploys refer to them: by short name (`jwt`) or by
 * resource name (`projects/acme/secrets/jwt`), and in Terraform by a
 * `google_secret_manager_secret`'s attributes that hold its name.
 */

/** `projects/p/secrets/jwt` (a secret's resource name, Terraform's `.id`) is the secret `jwt`. */
export function secretShortName(ref: string): string {
  return ref.replace(/^projects\/[^/]+\/secrets\//, '');
}

/** Attributes of a `google_secret_manager_secret` that `secret_key_ref.secret` accepts as its name. */
export const SECRET_NAME_ATTRIBUTES: ReadonlySet<string> = new Set(['secret_id', 'id', 'name']);
