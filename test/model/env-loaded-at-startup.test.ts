/**
 * A deploy that hands the service a whole env file (one secret as one variable, or mounted as a
 * file) and code that loads it into its environment at start-up: the target's variables are
 * open, so nothing is reported missing from it, and `--explain` says why. The same shapes without
 * the link (the deploy does not provide what the code loads) are still checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../rule-harness';
import { formatExplain } from '../../server/src/ide/explain-text';
import { explainModel } from '../../server/src/engine/explain';

const CODE = {
  'shop/requirements.txt': 'django\n',
  'shop/settings.py': 'import os\nPAYMENT_TOKEN = os.environ["PAYMENT_TOKEN"]\nMAIL_HOST = os.environ["MAIL_HOST"]\n',
};

const LOOP_LOADER = [
  'import os',
  'packed = os.environ.get("SHOP_SETTINGS")',
  'if packed:',
  '    for row in packed.splitlines():',
  '        key, _, value = row.partition("=")',
  '        os.environ.setdefault(key, value)',
  '',
].join('\n');

const cloudbuild = (secrets: string) =>
  `steps:\n  - name: gcr.io/cloud-builders/gcloud\n    args: ['run', 'deploy', 'shop-prod', '--source', 'shop', '--set-secrets', '${secrets}', '--set-env-vars', 'DEBUG=0']\n`;

const unset = (findings: { rule: string; message: string }[]) => findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message);

test('an env file held by one secret variable and loaded by a loop: nothing reported missing, and --explain says why', async () => {
  const { findings, ws } = await analyze({ ...CODE, 'shop/boot.py': LOOP_LOADER, 'cloudbuild.prod.yaml': cloudbuild('SHOP_SETTINGS=shop-settings:latest') });
  assert.deepEqual(unset(findings), []);
  const t = ws.model().targets.find((x) => x.key === 'shop@production')!;
  assert.deepEqual(t.loadsEnv.map((l) => [l.file, l.deployFile, l.provides]), [['shop/boot.py', 'cloudbuild.prod.yaml', 'SHOP_SETTINGS (secret shop-settings)']]);
  const explain = formatExplain(explainModel(ws.model()));
  assert.match(explain, /partial: cloudbuild\.prod\.yaml: shop\/boot\.py loads variables at start-up from SHOP_SETTINGS \(secret shop-settings\), whose contents cannot be checked/);
});

test('dotenv given the secret variable through a stream', async () => {
  const boot = 'import io, os\nfrom dotenv import load_dotenv\nload_dotenv(stream=io.StringIO(os.environ["SHOP_SETTINGS"]))\n';
  const { findings } = await analyze({ ...CODE, 'shop/boot.py': boot, 'cloudbuild.prod.yaml': cloudbuild('SHOP_SETTINGS=shop-settings:latest') });
  assert.deepEqual(unset(findings), []);
});

test('a secret mounted as a file at the path the code loads', async () => {
  const boot = 'from dotenv import load_dotenv\nload_dotenv("/conf/shop.env")\n';
  const { findings, ws } = await analyze({ ...CODE, 'shop/boot.py': boot, 'cloudbuild.prod.yaml': cloudbuild('/conf/shop.env=shop-dotenv:3') });
  assert.deepEqual(unset(findings), []);
  const t = ws.model().targets.find((x) => x.key === 'shop@production')!;
  assert.deepEqual(t.loadsEnv.map((l) => l.provides), ['/conf/shop.env (secret shop-dotenv)']);
});

test('a mounted file whose path the deploy passes in a variable', async () => {
  const boot = 'import os, environ\nenviron.Env.read_env(os.environ["SHOP_ENV_PATH"])\n';
  const deploy = 'gcloud run deploy shop-prod --source shop --set-secrets /conf/shop.env=shop-dotenv:latest --set-env-vars SHOP_ENV_PATH=/conf/shop.env\n';
  const { findings } = await analyze({ ...CODE, 'shop/boot.py': boot, 'deploy/prod.sh': deploy });
  assert.deepEqual(unset(findings), []);
});

test('a file the deploy names in the variable the code loads from, mounted by no secret (baked into the image)', async () => {
  const boot = 'import os, environ\nenviron.Env.read_env(os.environ["SHOP_ENV_PATH"])\n';
  const deploy = 'gcloud run deploy shop-prod --source shop --set-env-vars SHOP_ENV_PATH=/app/env/shop.production.env\n';
  const { findings, ws } = await analyze({ ...CODE, 'shop/boot.py': boot, 'deploy/prod.sh': deploy });
  assert.deepEqual(unset(findings), []);
  const t = ws.model().targets.find((x) => x.key === 'shop@production')!;
  assert.deepEqual(t.loadsEnv.map((l) => [l.deployFile, l.provides]), [['deploy/prod.sh', 'the file SHOP_ENV_PATH names']]);
  // Without the variable the code has no file to load: checked as before (the path itself too).
  const without = await analyze({ ...CODE, 'shop/boot.py': boot, 'deploy/prod.sh': 'gcloud run deploy shop-prod --source shop --set-env-vars DEBUG=0\n' });
  assert.deepEqual(unset(without.findings).map((m) => /(?:without|lack) (\w+)/.exec(m)?.[1]).sort(), ['MAIL_HOST', 'PAYMENT_TOKEN', 'SHOP_ENV_PATH']);
});

test('still reported: the deploy does not provide what the code loads', async () => {
  const mountedElsewhere = await analyze({ ...CODE, 'shop/boot.py': 'from dotenv import load_dotenv\nload_dotenv("/conf/shop.env")\n', 'cloudbuild.prod.yaml': cloudbuild('/other/place.env=shop-dotenv:3') });
  assert.deepEqual(unset(mountedElsewhere.findings).sort(), [
    'shop (production) is deployed without MAIL_HOST, which shop/settings.py reads',
    'shop (production) is deployed without PAYMENT_TOKEN, which shop/settings.py reads',
  ]);
  const otherVariable = await analyze({ ...CODE, 'shop/boot.py': LOOP_LOADER, 'cloudbuild.prod.yaml': cloudbuild('OTHER_BLOB=other:latest') });
  assert.equal(unset(otherVariable.findings).length, 2);
  // `load_dotenv()` reads a `.env` beside the code: nothing the deploy hands over.
  const localDotenv = await analyze({ ...CODE, 'shop/boot.py': 'from dotenv import load_dotenv\nload_dotenv()\n', 'cloudbuild.prod.yaml': cloudbuild('SHOP_SETTINGS=shop-settings:latest') });
  assert.equal(unset(localDotenv.findings).length, 2);
});

test('a loader in a test file opens nothing', async () => {
  const { findings } = await analyze({ ...CODE, 'shop/tests/test_boot.py': LOOP_LOADER, 'cloudbuild.prod.yaml': cloudbuild('SHOP_SETTINGS=shop-settings:latest') });
  assert.equal(unset(findings).length, 2);
});

test('an env file the code fetches from Secret Manager itself: whatever the deploy sets, nothing is reported missing', async () => {
  const boot = [
    'import os',
    'from google.cloud import secretmanager',
    'def boot():',
    '    client = secretmanager.SecretManagerServiceClient()',
    '    response = client.access_secret_version(request={"name": "projects/p/secrets/shop-env/versions/latest"})',
    '    for line in response.payload.data.decode("UTF-8").splitlines():',
    '        key, value = line.split("=", 1)',
    '        os.environ[key] = value',
    'boot()',
    '',
  ].join('\n');
  const { findings, ws } = await analyze({ ...CODE, 'shop/boot.py': boot, 'cloudbuild.prod.yaml': cloudbuild('OTHER=other:latest') });
  assert.deepEqual(unset(findings), []);
  const explain = formatExplain(explainModel(ws.model()));
  assert.match(explain, /shop\/boot\.py loads variables at start-up from a Secret Manager secret the code fetches itself, whose contents cannot be checked/);
});
