/**
 * Recorded Cloud Run state in gcloud's own formats, written for these tests from the documented
 * shapes: `gcloud run services describe NAME --format export` (a Knative Service with the
 * location label and the project number as namespace), `gcloud run jobs describe NAME --format
 * export` (containers one template deeper), `gcloud secrets list --format json` and `gcloud
 * secrets versions list SECRET --format json`.
 */
export type LiveEnv = Record<string, string | { secret: string; key?: string }>;

function envYaml(env: LiveEnv, indent: string): string {
  return Object.entries(env).map(([name, v]) => typeof v === 'string'
    ? `${indent}- name: ${name}\n${indent}  value: ${JSON.stringify(v)}\n`
    : `${indent}- name: ${name}\n${indent}  valueFrom:\n${indent}    secretKeyRef:\n${indent}      key: '${v.key ?? 'latest'}'\n${indent}      name: ${v.secret}\n`).join('');
}

export function serviceExport(name: string, region: string, env: LiveEnv, projectNumber = '123456789012'): string {
  return `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  annotations:
    run.googleapis.com/ingress: all
    run.googleapis.com/operation-id: 5d1c9e7a-0000-4000-8000-000000000001
  labels:
    cloud.googleapis.com/location: ${region}
  name: ${name}
  namespace: '${projectNumber}'
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/maxScale: '100'
    spec:
      containerConcurrency: 80
      containers:
      - env:
${envYaml(env, '        ')}        image: ${region}-docker.pkg.dev/example/images/${name}:latest
        ports:
        - containerPort: 8080
          name: http1
      serviceAccountName: ${projectNumber}-compute@developer.gserviceaccount.com
      timeoutSeconds: 300
  traffic:
  - latestRevision: true
    percent: 100
`;
}

export function jobExport(name: string, region: string, env: LiveEnv, projectNumber = '123456789012'): string {
  return `apiVersion: run.googleapis.com/v1
kind: Job
metadata:
  annotations:
    run.googleapis.com/launch-stage: GA
  labels:
    cloud.googleapis.com/location: ${region}
  name: ${name}
  namespace: '${projectNumber}'
spec:
  template:
    spec:
      taskCount: 1
      template:
        spec:
          containers:
          - env:
${envYaml(env, '            ')}            image: ${region}-docker.pkg.dev/example/images/${name}:latest
          maxRetries: 3
          timeoutSeconds: '600'
`;
}

export function secretsList(ids: string[], projectNumber = '123456789012'): string {
  return JSON.stringify(ids.map((id) => ({
    createTime: '2026-01-05T10:00:00.000000Z',
    etag: '"160a1b2c3d4e5f"',
    name: `projects/${projectNumber}/secrets/${id}`,
    replication: { automatic: {} },
  })), null, 2) + '\n';
}

export function versionsList(id: string, versions: [string, 'ENABLED' | 'DISABLED' | 'DESTROYED'][], projectNumber = '123456789012'): string {
  return JSON.stringify(versions.map(([v, state]) => ({
    createTime: '2026-01-05T10:00:00.000000Z',
    etag: '"160a1b2c3d4e60"',
    name: `projects/${projectNumber}/secrets/${id}/versions/${v}`,
    replicationStatus: { automatic: {} },
    state,
  })), null, 2) + '\n';
}
