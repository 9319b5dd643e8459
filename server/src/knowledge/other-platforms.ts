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

/**
 * Variables other hosts set in their own runtimes, which code reads to learn where it runs:
 * Railway's `RAILWAY_*` ("Railway-provided variables"), Vercel's `VERCEL` and `VERCEL_*`
 * ("System environment variables"), Render's `RENDER` and `RENDER_*` ("Default environment
 * variables"), Fly.io's `FLY_*` ("The Machine runtime environment"), Heroku's `DYNO`, and
 * Replit's `REPLIT_*` and `REPL_ID` / `REPL_OWNER` / `REPL_SLUG` / `REPL_IDENTITY` (the domains,
 * the database URL and the identity a Repl and its deployments get). Unset on Cloud Run by design:
 * reading one there answers "not that host", not a missing setting.
 */
const OTHER_HOST_VARIABLE = /^(?:RAILWAY_[A-Z0-9_]+|VERCEL|VERCEL_[A-Z0-9_]+|RENDER|RENDER_[A-Z0-9_]+|FLY_[A-Z0-9_]+|DYNO|REPLIT_[A-Z0-9_]+|REPL_(?:ID|OWNER|SLUG|IDENTITY))$/;

export function isOtherHostVariable(name: string): boolean {
  return OTHER_HOST_VARIABLE.test(name);
}

/**
 * Python libraries that declare another cloud's infrastructure as code: the AWS CDK
 * (`aws_cdk`), Pulumi's AWS and Azure providers, CDK for Terraform's AWS provider and
 * troposphere (CloudFormation). An `environment={…}` dict in such a file configures an ECS task or
 * a Lambda function, not a Cloud Run service.
 */
const OTHER_CLOUD_IAC = /^(?:aws_cdk|pulumi_aws|pulumi_awsx|pulumi_azure|pulumi_azure_native|cdktf_cdktf_provider_aws|troposphere)(?:\.|$)/;

export function isOtherCloudIacModule(module: string): boolean {
  return OTHER_CLOUD_IAC.test(module);
}
