/**
 * env-unset-for-deploy, a bundle built without a value it falls back to a loopback URL for: a
 * Next.js or Vite read inlined at build time (`process.env.NEXT_PUBLIC_API_URL ??
 * "http://localhost:3001"`), every build of the deployed image seen and none giving it, and no
 * deploy setting it at run time either. The bundle served to browsers then calls the visitor's own
 * machine: a warning at the deploy, related to the build and the reads. A script building several
 * apps through one `case` (`-f apps/${APP}/Dockerfile`) pairs each deploy with its own build.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const app = (name: string, fallback: string): Files => ({
  [`apps/${name}/package.json`]: `{ "name": "${name}", "dependencies": { "next": "14.2.0" } }\n`,
  [`apps/${name}/src/api.ts`]: `export const API_URL = process.env.NEXT_PUBLIC_API_URL ?? "${fallback}";\n`,
  [`apps/${name}/Dockerfile`]: `FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm --prefix apps/${name} run build\nFROM node:20\nCOPY --from=build /app/apps/${name}/.next ./.next\nCMD ["npm", "start"]\n`,
});

/** One script deploys either app, chosen by its argument. */
const DEPLOY_SH = (buildArgs = ''): string => `#!/usr/bin/env bash
set -euo pipefail
APP="\${1:?usage: deploy.sh <web|admin>}"
case "$APP" in
  web)   SERVICE="shop-web" ;;
  admin) SERVICE="shop-admin" ;;
  *) exit 1 ;;
esac
IMAGE="europe-docker.pkg.dev/\${PROJECT_ID}/apps/\${APP}:latest"
docker build -f "apps/\${APP}/Dockerfile" ${buildArgs}-t "\${IMAGE}" .
docker push "\${IMAGE}"
gcloud run deploy "\${SERVICE}" --image "\${IMAGE}" --region europe-west1 --project acme-prod
`;

const BOTH = (webFallback: string, adminFallback: string, buildArgs = ''): Files => ({
  ...app('web', webFallback), ...app('admin', adminFallback), 'deploy.sh': DEPLOY_SH(buildArgs),
});

/** Both Dockerfiles declare the build argument. */
const withArg = (files: Files): Files => Object.fromEntries(Object.entries(files).map(([f, text]) =>
  [f, f.endsWith('Dockerfile') ? text.replace('COPY . .', 'ARG NEXT_PUBLIC_API_URL\nCOPY . .') : text]));

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'the build passes the value to a Dockerfile that declares it',
      files: withArg(BOTH('https://api.shop.example', 'http://localhost:3001', '--build-arg NEXT_PUBLIC_API_URL=https://api.shop.example ')),
      control: { files: BOTH('https://api.shop.example', 'http://localhost:3001') },
    },
    {
      name: 'an env file in the build context sets it (Next.js loads .env.production when it builds)',
      files: { ...BOTH('https://api.shop.example', 'http://localhost:3001'), 'apps/admin/.env.production': 'NEXT_PUBLIC_API_URL=https://api.shop.example\n' },
      control: { files: BOTH('https://api.shop.example', 'http://localhost:3001') },
    },
    {
      name: 'a fallback that is no loopback URL (a relative path, a public host)',
      files: BOTH('https://api.shop.example', '/api'),
      control: { files: BOTH('https://api.shop.example', 'http://localhost:3001') },
    },
  ],
  invalid: [
    {
      name: 'a build argument the Dockerfile declares no ARG for never reaches the build: the related build says so',
      files: BOTH('https://api.shop.example', 'http://localhost:3001', '--build-arg NEXT_PUBLIC_API_URL=https://api.shop.example '),
      findings: [{
        at: 'deploy.sh:12', severity: 'warning', messageId: 'buildTimeLoopback', message: /^admin \(production\) is built without NEXT_PUBLIC_API_URL/,
        related: [{ at: 'deploy.sh:10', message: /declares no ARG NEXT_PUBLIC_API_URL: the build never sees it$/ }, 'apps/admin/src/api.ts:1'], fixes: [],
      }],
    },
    {
      // Each deploy of the shared text runs the image its own branch built: admin's build, admin's read.
      name: 'the web app (the first branch) falls back to localhost and no build gives it the value: a warning at the deploy, with its own build',
      files: BOTH('http://localhost:3001', 'https://api.shop.example'),
      findings: [{
        at: 'deploy.sh:12', severity: 'warning', messageId: 'buildTimeLoopback',
        message: 'web (production) is built without NEXT_PUBLIC_API_URL: its bundle falls back to http://localhost:3001',
        related: [
          { at: 'deploy.sh:10', message: 'the image is built here without --build-arg NEXT_PUBLIC_API_URL' },
          { at: 'apps/web/src/api.ts:1', text: 'NEXT_PUBLIC_API_URL', message: /else http:\/\/localhost:3001$/ },
        ],
        fixes: [],
      }],
    },
    {
      name: 'the same for a Vite app served by nginx, 127.0.0.1',
      files: {
        'web/package.json': '{ "name": "web", "devDependencies": { "vite": "^5.0.0" } }\n',
        'web/src/api.ts': 'export const API_BASE = import.meta.env.VITE_API_URL || "http://127.0.0.1:8000/api";\n',
        'web/Dockerfile': 'FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n',
        'cloudbuild.yaml': 'steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ["build", "-t", "europe-docker.pkg.dev/$PROJECT_ID/apps/web:$SHORT_SHA", "web"]\n  - name: gcr.io/google.com/cloudsdktool/cloud-sdk\n    entrypoint: gcloud\n    args: ["run", "deploy", "web", "--image", "europe-docker.pkg.dev/$PROJECT_ID/apps/web:$SHORT_SHA", "--region", "europe-west1"]\n',
      },
      findings: [{ at: 'cloudbuild.yaml:6', severity: 'warning', messageId: 'buildTimeLoopback', message: /is built without VITE_API_URL: its bundle falls back to http:\/\/127\.0\.0\.1:8000\/api$/, related: ['cloudbuild.yaml:2', 'web/src/api.ts:1'], fixes: [] }],
    },
  ],
});
