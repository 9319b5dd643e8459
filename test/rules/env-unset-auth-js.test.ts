/**
 * env-unset-for-deploy, Auth.js's own read: `NextAuth({...})` of `next-auth` v5 decides whether to
 * trust the forwarded host from `AUTH_URL ?? AUTH_TRUST_HOST ?? VERCEL ?? CF_PAGES ?? NODE_ENV !==
 * "production"`. A Next.js server on Cloud Run runs in production, on neither Vercel nor Pages:
 * without one of the two variables (or `trustHost` in the config), every `/api/auth/*` request
 * fails with `UntrustedHost`. The deploy lacking both is reported like any required read.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const PACKAGE = (version: string): string => `{ "name": "web", "scripts": { "start": "next start" }, "dependencies": { "next": "15.1.0", "next-auth": "${version}" } }\n`;
const AUTH = (config: string): string => `import NextAuth from "next-auth";
import Google from "next-auth/providers/google";
import { authConfig } from "./auth.config";

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [Google],${config}
});
`;

const web = (opts: { version?: string; config?: string; authConfig?: string } = {}): Files => ({
  'web/package.json': PACKAGE(opts.version ?? '5.0.0-beta.25'),
  'web/next.config.ts': 'export default { output: "standalone" };\n',
  'web/auth.ts': AUTH(opts.config ?? ''),
  'web/auth.config.ts': opts.authConfig ?? 'export const authConfig = { pages: { signIn: "/login" } };\n',
  'web/Dockerfile': 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n',
});

const shell = (env: string, opts?: Parameters<typeof web>[0]): Files => ({
  ...web(opts),
  'deploy.sh': `#!/usr/bin/env bash\ngcloud run deploy web --source web --region europe-west1 --project acme-prod --set-env-vars "${env}" --set-secrets AUTH_SECRET=auth-secret:latest\n`,
});

const knative = (env: string): Files => ({
  ...web(),
  'deploy/web.yaml': `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - image: europe-docker.pkg.dev/acme-prod/apps/web:1.2.0
          env:
            - name: NODE_ENV
              value: production
${env}            - name: AUTH_SECRET
              valueFrom:
                secretKeyRef:
                  name: auth-secret
                  key: latest
`,
  'deploy/release.sh': '#!/usr/bin/env bash\ngcloud run services replace deploy/web.yaml --region europe-west1 --project acme-prod\n',
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    { name: 'the deploy sets AUTH_TRUST_HOST', files: shell('NODE_ENV=production,AUTH_TRUST_HOST=true'), control: { files: shell('NODE_ENV=production') } },
    { name: 'the deploy sets AUTH_URL (which trusts the host too)', files: shell('NODE_ENV=production,AUTH_URL=https://app.acme.dev'), control: { files: shell('NODE_ENV=production') } },
    { name: 'the config sets trustHost', files: shell('NODE_ENV=production', { config: '\n  trustHost: true,' }), control: { files: shell('NODE_ENV=production') } },
    {
      name: 'a config spread in from another module names trustHost',
      files: shell('NODE_ENV=production', { authConfig: 'export const authConfig = { trustHost: true, pages: { signIn: "/login" } };\n' }),
      control: { files: shell('NODE_ENV=production') },
    },
    // v4 builds its URLs from NEXTAUTH_URL; its core has no such check.
    { name: 'next-auth v4', files: shell('NODE_ENV=production', { version: '^4.24.5' }), control: { files: shell('NODE_ENV=production') } },
    { name: 'a manifest that sets AUTH_TRUST_HOST', files: knative('            - name: AUTH_TRUST_HOST\n              value: "true"\n'), control: { files: knative('') } },
  ],
  invalid: [
    {
      name: 'gcloud: the deploy replaces the variables and sets neither name',
      files: shell('NODE_ENV=production'),
      findings: [{
        at: 'deploy.sh:2', severity: 'error', messageId: 'deployWithout',
        message: 'web (production) is deployed without AUTH_TRUST_HOST (or AUTH_URL), which web/auth.ts reads',
        related: [{ at: 'web/auth.ts:5', message: 'AUTH_TRUST_HOST read here (Auth.js, trustHost unset, no default)', text: 'NextAuth' }],
        fixes: [{
          title: 'Add AUTH_TRUST_HOST=true to web (production) (Auth.js then trusts the host Cloud Run forwards)', safe: false, preferred: true,
          output: { contains: { 'deploy.sh': '--set-env-vars "NODE_ENV=production,AUTH_TRUST_HOST=true"' }, remaining: [] },
        }],
      }],
    },
    {
      // v5 takes NEXTAUTH_URL as its URL, but the core's trustHost default reads AUTH_URL only.
      name: 'the deploy sets only v4\'s NEXTAUTH_URL',
      files: shell('NODE_ENV=production,NEXTAUTH_URL=https://app.acme.dev'),
      findings: [{ at: 'deploy.sh:2', severity: 'error', messageId: 'deployWithout', message: 'is deployed without AUTH_TRUST_HOST (or AUTH_URL), which web/auth.ts reads', related: ['web/auth.ts:5'], fixes: [{ title: /^Add AUTH_TRUST_HOST=true/, safe: false, preferred: true }] }],
    },
    {
      name: 'next-auth@beta names v5 too; a Knative manifest is the whole service',
      files: { ...knative(''), 'web/package.json': PACKAGE('beta') },
      findings: [{
        at: 'deploy/web.yaml:10', severity: 'error', messageId: 'deployWithout',
        message: 'is deployed without AUTH_TRUST_HOST (or AUTH_URL), which web/auth.ts reads',
        related: ['web/auth.ts:5'],
        fixes: [{ title: /^Add AUTH_TRUST_HOST=true to web/, safe: false, preferred: true, output: { contains: { 'deploy/web.yaml': 'AUTH_TRUST_HOST' }, remaining: [] } }],
      }],
    },
  ],
});
