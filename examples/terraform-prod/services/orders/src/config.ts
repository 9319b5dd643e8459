import { SecretManagerServiceClient } from '@google-cloud/secret-manager';

export const config = {
  port: Number(process.env.PORT ?? 8080),
  logFormat: process.env.LOG_FORMAT ?? 'json',
  paymentsUrl: process.env.PAYMENTS_URL!,
};

/** Secrets come from Secret Manager on Cloud Run, from the environment on a laptop. */
export async function secret(name: string): Promise<string | undefined> {
  if (!process.env.GCP_PROJECT_ID) return process.env[name];
  const client = new SecretManagerServiceClient();
  const [v] = await client.accessSecretVersion({ name: `projects/${process.env.GCP_PROJECT_ID}/secrets/${name}/versions/latest` });
  return v.payload?.data?.toString();
}
