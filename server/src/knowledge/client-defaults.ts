/**
 * Options the Google Cloud client libraries fill in themselves when they are left undefined: the
 * credentials (Application Default Credentials: on Cloud Run, the service account from the
 * metadata server) and the project (the metadata server's project). A variable passed only as one
 * of these (`new Storage({ keyFilename: process.env.X, projectId: process.env.Y })`) is optional:
 * unset, the client uses the ambient identity and project.
 *
 * Sources: google-auth-library `GoogleAuth` options (`keyFilename`, `keyFile`, `credentials`,
 * `projectId`), shared by every `@google-cloud/*` client; `firebase-admin` `initializeApp`
 * (`credential`, `projectId`); Python `google.cloud` clients (`project=`, `credentials=`).
 */

/** Modules whose clients fall back this way (the package, or its scope). */
export function isGoogleClientModule(specifier: string): boolean {
  return /^@google-cloud\//.test(specifier) || /^(?:firebase-admin|googleapis|google-auth-library)(?:\/|$)/.test(specifier);
}

/** Constructor / factory options a Google client fills in itself when undefined (TypeScript). */
export const AMBIENT_CLIENT_OPTIONS = new Set(['keyFilename', 'keyFile', 'credentials', 'credential', 'projectId']);
