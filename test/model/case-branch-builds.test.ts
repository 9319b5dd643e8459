/**
 * One deploy script for several apps, the app chosen by its argument through a `case`
 * (`docker build -f "apps/${APP}/Dockerfile" -t "$IMAGE"`, then `gcloud run deploy "$SERVICE"
 * --image "$IMAGE"`): one build and one deploy per branch, and each deploy runs the image its own
 * branch built — even where the image's name is not known (`$PROJECT_ID` unset), so the images of
 * the branches cannot be told apart by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../rule-harness';
import { formatExplain } from '../../server/src/ide/explain-text';
import { explainModel } from '../../server/src/engine/explain';

const app = (name: string): Record<string, string> => ({
  [`apps/${name}/package.json`]: `{ "name": "${name}", "dependencies": { "next": "14.2.0" } }\n`,
  [`apps/${name}/src/api.ts`]: 'export const API_URL = process.env.NEXT_PUBLIC_API_URL;\n',
  [`apps/${name}/Dockerfile`]: `FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm --prefix apps/${name} run build\nCMD ["node", "apps/${name}/server.js"]\n`,
  [`apps/${name}/server.js`]: 'require("http").createServer(() => {}).listen(process.env.PORT);\n',
});

const DEPLOY_SH = `#!/usr/bin/env bash
set -euo pipefail
APP="\${1:?usage: deploy.sh <web|admin>}"
case "$APP" in
  web)   SERVICE="shop-web" ;;
  admin) SERVICE="shop-admin" ;;
  *) exit 1 ;;
esac
IMAGE="europe-docker.pkg.dev/\${PROJECT_ID}/apps/\${APP}:latest"
docker build -f "apps/\${APP}/Dockerfile" -t "\${IMAGE}" .
gcloud run deploy "\${SERVICE}" --image "\${IMAGE}" --region europe-west1 --project acme-prod
`;

test('each branch\'s deploy runs the image its own branch built', async () => {
  const { ws } = await analyze({ ...app('web'), ...app('admin'), 'deploy.sh': DEPLOY_SH });
  const model = ws.model();
  const builds = model.files.get('deploy.sh')!.builds.map((b) => [b.dockerfile?.value, b.instance]);
  assert.deepEqual(builds, [['apps/web/Dockerfile', 'APP=web'], ['apps/admin/Dockerfile', 'APP=admin']]);
  const text = formatExplain(explainModel(model));
  for (const name of ['web', 'admin']) {
    const target = model.targets.find((t) => t.service?.name === name);
    assert.ok(target, `a target for ${name}`);
    assert.deepEqual(target.deploys.map((d) => d.deploy.instance?.label), [`APP=${name}`]);
    assert.match(text, new RegExp(`image built by deploy\\.sh from apps/${name}/Dockerfile[^\\n]*\\n[^\\n]*\\n      because one of 2 deploys written by one shared text: APP=${name}`));
  }
});
