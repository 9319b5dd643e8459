/**
 * What is running: Cloud Run services and jobs as `gcloud run services describe --format export`
 * prints them, and the Secret Manager inventory as `gcloud secrets list --format json` (and
 * `gcloud secrets versions list --format json`) prints it. Read from recordings or from gcloud
 * itself (the CLI's `drift` command); the drift rules compare it with the repository's deploys.
 *
 * Plain values are kept only as a fingerprint-free presence: a live value is never stored, so it
 * can never be printed (the drift rules compare names and secret references, not values).
 */
import type { Notice } from './findings';

export interface DeployedEnvEntry {
  name: string;
  /** `valueFrom.secretKeyRef`: the secret's id and version (`key`, `latest` or a number). */
  secret?: { name: string; version: string };
  /** A plain `value:` (its text is not kept). */
  plain?: true;
}

export interface DeployedWorkload {
  kind: 'service' | 'job';
  name: string;
  /** `cloud.googleapis.com/location` label. */
  region?: string;
  /** `metadata.namespace`: the project number (an export prints the number, not the id). */
  projectNumber?: string;
  /** The project id, when the state came from gcloud run for that project (`--live`). */
  projectId?: string;
  env: DeployedEnvEntry[];
  /** The recording file or the gcloud command it came from. */
  source: string;
}

export interface DeployedSecret {
  id: string;
  /** Versions and their state (`ENABLED`, `DISABLED`, `DESTROYED`), when a version list was read. */
  versions?: { version: string; state: string }[];
}

/** The secrets of one project. */
export interface SecretInventory {
  projectNumber: string;
  projectId?: string;
  secrets: Map<string, DeployedSecret>;
  source: string;
}

export interface DeployedState {
  workloads: DeployedWorkload[];
  inventories: SecretInventory[];
  /** Recordings that could not be read (reported, never thrown). */
  notices: Notice[];
}
