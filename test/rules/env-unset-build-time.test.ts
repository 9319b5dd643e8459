/**
 * env-unset-for-deploy, build-time values given at run time: a Vite or Next.js bundle inlines
 * `import.meta.env.VITE_*` / `process.env.NEXT_PUBLIC_*` when it is built, so a deploy's
 * `--set-env-vars` entry for one never reaches it, and the bundle keeps what the build had. A
 * warning at the run-time entry when every build of the image is seen and none passes the value
 * (or passes it to a Dockerfile that declares no `ARG` for it);
 * quiet when a build passes it, an env file in the build context sets it, the container starts a
 * script that could write it into the bundle, the service also reads it at run time, or the image
 * is built elsewhere.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

/** A Vite app served by nginx: the bundle is built in the first stage. */
const WEB: Files = {
  'web/package.json': '{ "name": "web", "devDependencies": { "vite": "^5.0.0" } }\n',
  'web/src/api.ts': 'export const API_BASE = import.meta.env.VITE_API_URL ?? "http://localhost:8004";\n',
  'web/Dockerfile': [
    'FROM node:20 AS build',
    'WORKDIR /app',
    'COPY . .',
    'ARG VITE_API_URL=http://localhost:8004',
    'RUN npm ci && npm run build',
    'FROM nginx:alpine',
    'COPY --from=build /app/dist /usr/share/nginx/html',
    '',
  ].join('\n'),
};
const READ = 'web/src/api.ts:1';

/** Builds the image with Cloud Build (no build arguments possible), then deploys it. */
const deploy = (build: string): Files => ({
  'deploy/deploy_web.sh': [
    '#!/usr/bin/env bash',
    'set -euo pipefail',
    build,
    'gcloud run deploy web-production --image europe-docker.pkg.dev/acme/apps/web:1 --project acme-prod \\',
    '  --set-env-vars "ENVIRONMENT=production,VITE_API_URL=https://api.acme.example"',
    '',
  ].join('\n'),
});
const SUBMIT = 'gcloud builds submit web --tag europe-docker.pkg.dev/acme/apps/web:1 --project acme-prod';


/** A Next.js app whose reads fall back to `https://api.acme.example`, but the second to `second`;
 * the deploy sets `https://api.acme.example` at run time. */
const nextWeb = (second: string): Files => ({
  'web/package.json': '{ "name": "web", "dependencies": { "next": "14.2.0" } }\n',
  'web/next.config.js': 'module.exports = { env: { NEXT_PUBLIC_API_URL: process.env.NEXT_PUBLIC_API_URL } };\n',
  'web/src/api.ts': "export const api = process.env.NEXT_PUBLIC_API_URL || 'https://api.acme.example';\n",
  'web/src/calendar.ts': `export const calendar = \`\${process.env.NEXT_PUBLIC_API_URL ?? '${second}'}/calendar\`;\n`,
  'web/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD ["npm", "start"]\n',
  'deploy/deploy_web.sh': (deploy(SUBMIT)['deploy/deploy_web.sh']).replace('VITE_API_URL=https://api.acme.example', 'NEXT_PUBLIC_API_URL=https://api.acme.example'),
});

/** Terraform owns the service's env and leaves its image to CI (`ignore_changes`); the workflow
 * builds the image and swaps it in with a deploy that sets no env. */
const tfOwnsEnv = (buildArgs: string): Files => ({
  'web/package.json': '{ "name": "web", "dependencies": { "next": "14.2.0" } }\n',
  'web/src/push.ts': 'export const vapid = process.env.NEXT_PUBLIC_PUSH_KEY;\n',
  'web/Dockerfile': 'FROM node:20 AS build\nWORKDIR /app\nARG NEXT_PUBLIC_SITE_URL\nARG NEXT_PUBLIC_PUSH_KEY\nCOPY . .\nRUN npm ci && npm run build\nFROM node:20\nCOPY --from=build /app/.next ./.next\nCMD ["npm", "start"]\n',
  'infra/run.tf': [
    'resource "google_cloud_run_v2_service" "web" {',
    '  name     = "supper-web"',
    '  location = "europe-west1"',
    '  template {',
    '    containers {',
    '      image = "us-docker.pkg.dev/cloudrun/container/hello"',
    '      env {',
    '        name  = "NEXT_PUBLIC_PUSH_KEY"',
    '        value = "BPk3-public-push-key"',
    '      }',
    '    }',
    '  }',
    '  lifecycle {',
    '    ignore_changes = [template[0].containers[0].image]',
    '  }',
    '}',
    '',
  ].join('\n'),
  '.github/workflows/cd.yml': [
    'on: { push: { branches: [main] } }',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - run: |',
    `          docker build ${buildArgs} -t europe-docker.pkg.dev/acme/web/supper-web:\${{ github.sha }} -f web/Dockerfile web`,
    '          docker push europe-docker.pkg.dev/acme/web/supper-web:${{ github.sha }}',
    '      - run: gcloud run deploy supper-web --image europe-docker.pkg.dev/acme/web/supper-web:${{ github.sha }} --region europe-west1',
    '',
  ].join('\n'),
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      // Measured on real trees: a NEXT_PUBLIC_ value kept in Secret Manager is most often one
      // server code reads, which gets the container's value where the build had none.
      name: 'the value mounted from a secret at run time: not claimed',
      files: { ...nextWeb('http://localhost:3000'), 'deploy/deploy_web.sh': nextWeb('http://localhost:3000')['deploy/deploy_web.sh']!.replace('"ENVIRONMENT=production,NEXT_PUBLIC_API_URL=https://api.acme.example"', '"ENVIRONMENT=production" --set-secrets "NEXT_PUBLIC_API_URL=web-api-url:latest"') },
      control: { files: nextWeb('http://localhost:3000') },
    },
    {
      // Next.js inlines a name only where the build has a value: server code reads it at run time.
      name: 'every read runs on the server only (a route handler, an API route, middleware, a server action module)',
      files: {
        ...Object.fromEntries(Object.entries(nextWeb('https://api.acme.example')).filter(([f]) => f !== 'web/src/api.ts' && f !== 'web/src/calendar.ts' && f !== 'web/next.config.js')),
        'web/src/app/api/config/route.ts': 'export const GET = () => Response.json({ api: process.env.NEXT_PUBLIC_API_URL });\n',
        'web/src/pages/api/health.ts': 'export default (_req: unknown, res: any) => res.json({ api: process.env.NEXT_PUBLIC_API_URL });\n',
        'web/src/middleware.ts': 'export function middleware() { return process.env.NEXT_PUBLIC_API_URL; }\n',
        'web/src/lib/actions.ts': "'use server';\nexport async function ping() { return fetch(process.env.NEXT_PUBLIC_API_URL!); }\n",
      },
      control: {
        files: {
          ...Object.fromEntries(Object.entries(nextWeb('https://api.acme.example')).filter(([f]) => f !== 'web/src/api.ts' && f !== 'web/src/calendar.ts' && f !== 'web/next.config.js')),
          'web/src/lib/actions.ts': "'use client';\nexport async function ping() { return fetch(process.env.NEXT_PUBLIC_API_URL!); }\n",
        },
      },
    },
    {
      // Node reads `process.env` when the code runs: only a Next.js build inlines the name.
      name: 'a NEXT_PUBLIC_ name read by a package that is no Next.js app (a NestJS API): a run-time read',
      files: Object.fromEntries(Object.entries({ ...nextWeb('https://api.acme.example'), 'web/package.json': '{ "name": "api", "dependencies": { "@nestjs/core": "^10.0.0" } }\n' })
        .filter(([f]) => f !== 'web/next.config.js')),
      control: { files: nextWeb('http://localhost:3000') },
    },
    {
      // Vite loads `.env.production` when it builds: the context holds the value.
      name: 'an env file in the build context sets it, and the .dockerignore keeps it (leaving out others)',
      files: { ...WEB, ...deploy(SUBMIT), 'web/.env.production': 'VITE_API_URL=https://api.acme.example\n', 'web/.dockerignore': '# local files\nnode_modules\n**/.env*\n!.env.production\n' },
      control: { files: { ...WEB, ...deploy(SUBMIT), 'web/.env.production': 'VITE_API_URL=https://api.acme.example\n', 'web/.dockerignore': 'node_modules\n**/.env*\n' } },
    },
    {
      // The value is taken once, but used only when the bundle is a development one
      // (`if (import.meta.env.DEV)`): a production build never uses it, whatever the deploy sets.
      name: 'a value used only in a development build (if (import.meta.env.DEV))',
      files: { ...WEB, ...deploy(SUBMIT), 'web/src/api.ts': 'const devUrl = import.meta.env.VITE_API_URL || "http://localhost:8004";\nexport let base = "https://api.acme.example";\nif (import.meta.env.DEV) {\n  base = devUrl;\n}\n' },
      control: { files: { ...WEB, ...deploy(SUBMIT), 'web/src/api.ts': 'const devUrl = import.meta.env.VITE_API_URL || "http://localhost:8004";\nexport let base = "https://api.acme.example";\nif (import.meta.env.PROD) {\n  base = devUrl;\n}\n' } },
    },
    {
      // The image that runs with Terraform's env is the one CI builds: here it gets the value.
      name: 'Terraform sets it and leaves the image to CI, whose build passes it',
      files: tfOwnsEnv('--build-arg NEXT_PUBLIC_SITE_URL=https://acme.example --build-arg NEXT_PUBLIC_PUSH_KEY=BPk3-public-push-key'),
      control: { files: tfOwnsEnv('--build-arg NEXT_PUBLIC_SITE_URL=https://acme.example') },
    },
    {
      name: 'the docker build passes it as a build argument',
      files: { ...WEB, ...deploy('docker build web --build-arg VITE_API_URL=https://api.acme.example -t europe-docker.pkg.dev/acme/apps/web:1') },
      control: { files: { ...WEB, ...deploy(SUBMIT) } },
    },
    {
      name: 'a Create React App bundle embeds its REACT_APP_ values at build: a run-time deploy that sets none lacks nothing',
      files: {
        'client/package.json': '{ "name": "client", "dependencies": { "react-scripts": "5.0.1" } }\n',
        'client/src/auth.tsx': 'export const domain = process.env.REACT_APP_AUTH0_URL;\nexport const audience = process.env.REACT_APP_AUTH0_AUDIENCE;\n',
        'client/Dockerfile': 'FROM node:18 AS build\nCOPY . .\nARG REACT_APP_AUTH0_URL\nENV REACT_APP_AUTH0_URL=${REACT_APP_AUTH0_URL}\nRUN npm run build\nFROM nginx:alpine\nCOPY --from=build /build /usr/share/nginx/html\n',
        'deploy.sh': 'gcloud run deploy client --source client --region us-west1 --set-env-vars NODE_ENV=production\n',
      },
      // The same read without the prefix is the running server's, and the deploy lacks it.
      control: {
        files: {
          'client/package.json': '{ "name": "client", "dependencies": { "express": "4.0.0" } }\n',
          'client/src/auth.tsx': 'export const domain = process.env.AUTH0_URL;\n',
          'client/Dockerfile': 'FROM node:18\nCOPY . .\nCMD ["node", "src/auth.js"]\n',
          'deploy.sh': 'gcloud run deploy client --source client --region us-west1 --set-env-vars NODE_ENV=production\n',
        },
      },
    },
    {
      name: 'the Dockerfile sets it with ENV in the build stage: the bundle has that value',
      files: { ...WEB, 'web/Dockerfile': WEB['web/Dockerfile'].replace('ARG VITE_API_URL=http://localhost:8004', 'ENV VITE_API_URL=https://api.acme.example'), ...deploy(SUBMIT) },
      control: { files: { ...WEB, ...deploy(SUBMIT) } },
    },
    {
      name: 'an env file in the build context sets it (Vite reads .env.production when it builds)',
      files: { ...WEB, 'web/.env.production': 'VITE_API_URL=https://api.acme.example\n', ...deploy(SUBMIT) },
    },
    {
      // The nginx image runs /docker-entrypoint.d/*.sh at start: one may write the value in.
      name: 'the container starts a script that may write run-time values into the bundle',
      files: { ...WEB, 'web/Dockerfile': `${WEB['web/Dockerfile']}COPY inject-env.sh /docker-entrypoint.d/40-inject-env.sh\n`, ...deploy(SUBMIT) },
    },
    {
      name: 'the service also reads it at run time (a Node server): the entry is not wasted',
      files: { ...WEB, 'web/server.ts': 'export const api = process.env.VITE_API_URL;\n', ...deploy(SUBMIT) },
    },
    {
      // Taking it for `.` would pick the root's Dockerfile, which is not the one built.
      name: 'the build context is a variable we cannot read: which Dockerfile is unknown',
      files: { ...WEB, 'Dockerfile': 'FROM nginx:alpine\nCOPY site/ /usr/share/nginx/html\n', ...deploy('SRC="$(git rev-parse --show-toplevel)/web"\ngcloud builds submit "$SRC" --tag europe-docker.pkg.dev/acme/apps/web:1') },
    },
    {
      // Built without the value, each read takes its fallback, which is the deploy's value; the
      // config's entry passing the name on adds nothing of its own.
      name: 'every read falls back to the very text the deploy sets at run time',
      files: nextWeb('https://api.acme.example'),
      // One fallback differs from the deploy's value: the bundle holds the other one.
      control: { files: nextWeb('https://staging-api.acme.example') },
    },
    {
      // The fallback is the chain's next operand, here a module constant, though the read itself
      // falls back from a caller's option.
      name: 'the read falls back, after an option, to a module constant holding the deploy\'s text',
      files: { ...nextWeb('https://api.acme.example'), 'web/src/api.ts': "const DEFAULT_API = 'https://api.acme.example';\nexport const api = (o: { api?: string }) => o.api ?? process.env.NEXT_PUBLIC_API_URL ?? DEFAULT_API;\n" },
      // The constant holds another text: the bundle built without the value holds that one.
      control: { files: { ...nextWeb('https://api.acme.example'), 'web/src/api.ts': "const DEFAULT_API = 'https://api.staging.acme.example';\nexport const api = (o: { api?: string }) => o.api ?? process.env.NEXT_PUBLIC_API_URL ?? DEFAULT_API;\n" } },
    },
    {
      name: 'the image is built elsewhere (no build of it in the workspace): unknown',
      files: { ...WEB, ...deploy('echo "image built by the release pipeline"') },
    },
  ],
  invalid: [
    {
      name: 'Terraform sets it at run time and leaves the image to CI, whose docker build passes other build arguments but not it',
      files: tfOwnsEnv('--build-arg NEXT_PUBLIC_SITE_URL=https://acme.example'),
      findings: [{
        at: 'infra/run.tf:8', text: 'NEXT_PUBLIC_PUSH_KEY', severity: 'warning', messageId: 'buildTimeAtRuntime',
        message: /^web \(default\) gets NEXT_PUBLIC_PUSH_KEY at run time only, but web\/src\/push\.ts inlines it at build time/,
        related: [{ at: '.github/workflows/cd.yml:8', message: 'the image is built here without --build-arg NEXT_PUBLIC_PUSH_KEY' }, 'web/src/push.ts:1'],
        fixes: [],
      }],
    },
    {
      // The script's own folder (`$(cd "$(dirname "$0")/.." && pwd)`) is a path the shell idiom makes plain.
      name: 'the build context is built on the script\'s own folder: web/Dockerfile, found',
      files: { ...WEB, 'Dockerfile': 'FROM nginx:alpine\nCOPY site/ /usr/share/nginx/html\n', ...deploy('SRC="$(cd "$(dirname "$0")/.." && pwd)/web"\ngcloud builds submit "$SRC" --tag europe-docker.pkg.dev/acme/apps/web:1') },
      findings: [{
        at: 'deploy/deploy_web.sh:6', text: 'VITE_API_URL', severity: 'warning', messageId: 'buildTimeAtRuntime',
        message: /^web \(production\) gets VITE_API_URL at run time only, but web\/src\/api\.ts inlines it at build time$/,
        related: [{ at: 'deploy/deploy_web.sh:4', message: 'the image is built here without --build-arg VITE_API_URL' }, READ],
        fixes: [],
      }],
    },
    {
      name: 'Cloud Build --tag builds the image without it, the deploy sets it at run time',
      files: { ...WEB, ...deploy(SUBMIT) },
      findings: [{
        at: 'deploy/deploy_web.sh:5', text: 'VITE_API_URL', severity: 'warning', messageId: 'buildTimeAtRuntime',
        message: /^web \(production\) gets VITE_API_URL at run time only, but web\/src\/api\.ts inlines it at build time$/,
        related: [{ at: 'deploy/deploy_web.sh:3', message: 'the image is built here without --build-arg VITE_API_URL' }, READ],
        fixes: [],
      }],
    },
    {
      // Docker gives a build only the arguments its Dockerfile declares (it warns that one was
      // "not consumed"): passing the value is not enough.
      name: 'the docker build passes it, but the Dockerfile declares no ARG for it',
      files: {
        ...WEB,
        'web/Dockerfile': WEB['web/Dockerfile'].replace('ARG VITE_API_URL=http://localhost:8004\n', ''),
        ...deploy('docker build web --build-arg VITE_API_URL=https://api.acme.example -t europe-docker.pkg.dev/acme/apps/web:1'),
      },
      findings: [{
        at: 'deploy/deploy_web.sh:5', text: 'VITE_API_URL', severity: 'warning', messageId: 'buildTimeAtRuntime',
        message: /^web \(production\) gets VITE_API_URL at run time only, but web\/src\/api\.ts inlines it at build time$/,
        related: [{ at: 'deploy/deploy_web.sh:3', message: 'the image is built here with --build-arg VITE_API_URL, but web/Dockerfile declares no ARG VITE_API_URL: the build never sees it' }, READ],
        fixes: [],
      }],
    },
    {
      // A template documents the names: neither Vite nor Next.js loads it when building.
      name: 'an env template in the build context (.env.example) gives the build nothing',
      files: { ...WEB, 'web/.env.example': 'VITE_API_URL=http://localhost:8004\n', ...deploy(SUBMIT) },
      findings: [{
        at: 'deploy/deploy_web.sh:5', text: 'VITE_API_URL', severity: 'warning', messageId: 'buildTimeAtRuntime',
        message: /^web \(production\) gets VITE_API_URL at run time only, but web\/src\/api\.ts inlines it at build time$/,
        related: ['deploy/deploy_web.sh:3', READ],
        fixes: [],
      }],
    },
    {
      // Docker sends the build only what the .dockerignore keeps.
      name: 'an env file the build context\'s .dockerignore leaves out (a developer\'s .env.local) gives the build nothing',
      files: { ...WEB, 'web/.env.local': 'VITE_API_URL=http://localhost:8004\n', 'web/.dockerignore': 'node_modules\n*.local\n', ...deploy(SUBMIT) },
      findings: [{
        at: 'deploy/deploy_web.sh:5', text: 'VITE_API_URL', severity: 'warning', messageId: 'buildTimeAtRuntime',
        message: /^web \(production\) gets VITE_API_URL at run time only, but web\/src\/api\.ts inlines it at build time$/,
        related: ['deploy/deploy_web.sh:3', READ],
        fixes: [],
      }],
    },
    {
      // The update names no image: it runs the one the deploy before it shipped, built without the value.
      name: 'an update after the deploy sets the value at run time: the update runs the image the file built',
      files: {
        ...WEB,
        'cloudbuild.yaml': [
          'steps:',
          '  - name: gcr.io/cloud-builders/docker',
          '    args: ["build", "-t", "europe-docker.pkg.dev/$PROJECT_ID/apps/web:v1", "web"]',
          '  - name: gcr.io/google.com/cloudsdktool/cloud-sdk',
          '    entrypoint: bash',
          '    args:',
          '      - -c',
          '      - |',
          '        gcloud run deploy web --image=europe-docker.pkg.dev/$PROJECT_ID/apps/web:v1 --region=europe-west1',
          '        gcloud run services update web --region=europe-west1 --update-env-vars=VITE_API_URL=https://api.acme.example',
          '',
        ].join('\n'),
      },
      findings: [{
        at: 'cloudbuild.yaml:10', text: 'VITE_API_URL', severity: 'warning', messageId: 'buildTimeAtRuntime',
        message: /gets VITE_API_URL at run time only, but web\/src\/api\.ts inlines it at build time$/,
        related: ['cloudbuild.yaml:2', READ], fixes: [],
      }],
    },
    {
      name: 'a docker build with other build arguments, and a Next.js public value',
      files: {
        ...WEB,
        // A package building with Next.js too (its `next build` inlines NEXT_PUBLIC_ names).
        'web/package.json': '{ "name": "web", "dependencies": { "next": "14.2.0" }, "devDependencies": { "vite": "^5.0.0" } }\n',
        'web/src/flags.ts': 'export const flag = process.env.NEXT_PUBLIC_FLAGS_URL;\n',
        'deploy/deploy_web.sh': [
          '#!/usr/bin/env bash',
          'docker build web --build-arg VITE_API_URL=https://api.acme.example -t europe-docker.pkg.dev/acme/apps/web:1',
          'gcloud run deploy web-production --image europe-docker.pkg.dev/acme/apps/web:1 --project acme-prod \\',
          '  --set-env-vars "ENVIRONMENT=production,NEXT_PUBLIC_FLAGS_URL=https://flags.acme.example"',
          '',
        ].join('\n'),
      },
      findings: [{
        at: 'deploy/deploy_web.sh:4', text: 'NEXT_PUBLIC_FLAGS_URL', severity: 'warning', messageId: 'buildTimeAtRuntime',
        message: /gets NEXT_PUBLIC_FLAGS_URL at run time only, but web\/src\/flags\.ts inlines it/,
        related: ['deploy/deploy_web.sh:2', 'web/src/flags.ts:1'],
        fixes: [],
      }],
    },
  ],
});
