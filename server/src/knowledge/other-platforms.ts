/**
 * Code kept in a repository that another platform deploys and runs, never a Cloud Run service:
 * Supabase Edge Functions (`supabase/functions/<name>/index.ts`, deployed by `supabase functions
 * deploy` to Deno Deploy, which provides `SUPABASE_URL` and the service keys itself) and Netlify
 * Functions (`netlify/functions/`, `netlify/edge-functions/`). A root Dockerfile that copies the
 * whole repository still does not run them, so their reads are no Cloud Run deploy's requirement.
 */
const OTHER_PLATFORM_FOLDER = /(^|\/)(supabase\/functions|netlify\/(edge-)?functions)\//i;

export function isDeployedElsewhere(file: string): boolean {
  return OTHER_PLATFORM_FOLDER.test(file.replace(/\\/g, '/'));
}
