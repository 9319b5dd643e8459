import { SecretManagerServiceClient } from "@google-cloud/secret-manager";

const overrides = new Map<string, string>();

/** Partner API keys rotate in Secret Manager; we only reach for it when deployed. */
export async function loadPartnerKeys(names: string[]): Promise<void> {
  if (!process.env.GCP_PROJECT_ID) {
    return;
  }
  const client = new SecretManagerServiceClient();
  for (const n of names) {
    const [v] = await client.accessSecretVersion({ name: `projects/${process.env.GCP_PROJECT_ID}/secrets/${n}/versions/latest` });
    const data = v.payload?.data?.toString();
    if (data) overrides.set(n, data);
  }
}

export const partnerKey = (n: string): string | undefined => overrides.get(n);
