/**
 * env-unset-for-deploy and the Python modules a container loads: a read in a module of the
 * service that no import chain from the image's program reaches (a bot script beside the API, an
 * older module nothing imports any more) is not the deploy's requirement. The program is the
 * Dockerfile's command (`uvicorn app.main:app`, `python server.py`). Wherever the chain cannot be
 * followed for sure (a computed import, Django, a moved `sys.path`, a relative import of a module
 * the workspace lacks, a name the workspace holds elsewhere, a command naming no module of the
 * workspace) every module counts, as before. Minimal original reproduction.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { lackingNames, type Files } from '../rule-harness';

before(ready);

const service = (main: string, extra: Files = {}, cmd = '["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8080"]'): Files => ({
  'api/requirements.txt': 'fastapi\nuvicorn\n',
  'api/Dockerfile': `FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ${cmd}\n`,
  'api/app/__init__.py': '',
  'api/app/main.py': main,
  'api/app/routes.py': 'import os\nPARTNER_KEY = os.environ["PARTNER_API_KEY"]\n',
  // The older sync module nothing imports any more.
  'api/app/legacy_sync.py': 'import os\nTOKEN = os.environ["LEGACY_SYNC_TOKEN"]\n',
  'deploy.sh': [
    '#!/usr/bin/env bash',
    'IMAGE="europe-docker.pkg.dev/acme-prod/apps/api:$GITHUB_SHA"',
    'docker build -t "$IMAGE" api',
    'gcloud run deploy api --image "$IMAGE" --project acme-prod --set-env-vars "ENVIRONMENT=production"',
    '',
  ].join('\n'),
  ...extra,
});

const lacking = lackingNames;

const MAIN = 'from fastapi import FastAPI\nfrom app.routes import PARTNER_KEY\napp = FastAPI()\n';
const BOTH = ['LEGACY_SYNC_TOKEN', 'PARTNER_API_KEY'];

test('quiet: a module the program never imports; reported: one it imports', async () => {
  assert.deepEqual(await lacking(service(MAIN)), ['PARTNER_API_KEY']);
  // The program named as a script (`python server.py`) is followed the same.
  assert.deepEqual(await lacking(service(MAIN, { 'api/server.py': 'import uvicorn\nfrom app.main import app\nuvicorn.run(app)\n' }, '["python", "server.py"]')), ['PARTNER_API_KEY']);
});

test('reported: the same module once an import chain from the program reaches it', async () => {
  for (const how of ['import app.legacy_sync', 'from app import legacy_sync', 'from . import legacy_sync', 'from .legacy_sync import TOKEN', 'from app.legacy_sync import *']) {
    assert.deepEqual(await lacking(service(`${how}\n${MAIN}`)), BOTH, how);
  }
  // Through a package's __init__, which Python runs when the package is first imported.
  assert.deepEqual(await lacking(service(MAIN, { 'api/app/__init__.py': 'from . import legacy_sync\n' })), BOTH);
  // Named in a string the program hands to a loader.
  assert.deepEqual(await lacking(service(`${MAIN}SYNC = "app.legacy_sync:run"\n`)), BOTH);
  // gunicorn reads its configuration file from the working directory: no import needed.
  assert.deepEqual(await lacking(service(MAIN, { 'api/gunicorn.conf.py': 'import os\nworkers = int(os.environ["WEB_WORKERS"])\n' }, '["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "app.main:app"]')),
    ['PARTNER_API_KEY', 'WEB_WORKERS']);
});

test('every module counts where the chain cannot be followed for sure', async () => {
  const cases: [string, Files, string?][] = [
    ['a module imported by a computed name', { 'api/app/main.py': `import importlib\nplugin = importlib.import_module(f"app.{NAME}")\n${MAIN}` }],
    ['a moved sys.path', { 'api/app/main.py': `import sys\nsys.path.append("/opt/shared")\n${MAIN}` }],
    ['Django, which imports apps by name', { 'api/app/main.py': `from django.core.asgi import get_asgi_application\n${MAIN}` }],
    ['a relative import of a module the workspace lacks (generated code)', { 'api/app/main.py': `from .proto import events_pb2\n${MAIN}` }],
    ['a name the workspace holds elsewhere (an installed local package)', { 'api/app/main.py': `import shared_models\n${MAIN}`, 'libs/shared_models/__init__.py': 'X = 1\n' }],
    ['a command naming no module of the workspace', {}, '["./start.sh"]'],
  ];
  for (const [what, extra, cmd] of cases) assert.deepEqual(await lacking(service(MAIN, extra, cmd)), BOTH, what);
});

test('a package whose __init__ loads its parts lazily by literal names (importlib.import_module("app.jobs")) still lets the chain be followed', async () => {
  const lazy = 'import importlib\ndef __getattr__(name):\n    if name == "jobs":\n        return importlib.import_module("app.jobs")\n    raise AttributeError(name)\n';
  // The bot script beside the API stays out; what the literal names is loaded.
  assert.deepEqual(await lacking(service(MAIN, { 'api/app/__init__.py': lazy, 'api/app/jobs.py': 'import os\nQUEUE = os.environ["JOBS_QUEUE"]\n' })), ['JOBS_QUEUE', 'PARTNER_API_KEY']);
});

test('a module that loads a file by a spelled path (spec_from_file_location, run_path) loads that file, and the chain goes on', async () => {
  const loader = (arg: string) => `import importlib.util\nfrom pathlib import Path\nspec = importlib.util.spec_from_file_location("tuning", ${arg})\n`;
  const extra = (arg: string): Files => ({
    'api/app/main.py': `from app import tools\n${MAIN}`,
    'api/app/tools.py': loader(arg),
    'api/settings/tuning.py': 'import os\nREGION = os.environ["TUNING_REGION"]\n',
  });
  // The file the path spells is loaded; the bot module nothing loads stays out.
  assert.deepEqual(await lacking(service(MAIN, extra('Path(__file__).parent.parent / "settings" / "tuning.py"'))), ['PARTNER_API_KEY', 'TUNING_REGION']);
  // Held in a name the module assigns first.
  const held = extra('TUNING_FILE');
  held['api/app/tools.py'] = `TUNING_FILE = Path(__file__).parent.parent / "settings" / "tuning.py"\n${held['api/app/tools.py']}`;
  assert.deepEqual(await lacking(service(MAIN, held)), ['PARTNER_API_KEY', 'TUNING_REGION']);
  // A path the call does not spell, or a file the workspace lacks: every module counts.
  assert.deepEqual(await lacking(service(MAIN, extra('TUNING_PATH'))), [...BOTH, 'TUNING_REGION']);
  assert.deepEqual(await lacking(service(MAIN, extra('Path(__file__).parent / "generated_tuning.py"'))), [...BOTH, 'TUNING_REGION']);
});

test('a package import decides nothing', async () => {
  assert.deepEqual(await lacking(service(`import requests\nfrom pydantic import BaseModel\nfrom google.cloud import storage\n${MAIN}`)), ['PARTNER_API_KEY']);
});

test('a module of one language is not loaded by a program of the other, once that program is followed to its end', async () => {
  const node: Files = {
    'api/package.json': JSON.stringify({ name: 'api', scripts: { start: 'node src/server.js' } }),
    'api/src/server.js': "const key = process.env.PARTNER_API_KEY;\nif (!key) throw new Error('PARTNER_API_KEY');\n",
    'api/tools/warm_cache.py': 'import os\nTOKEN = os.environ["CACHE_TOKEN"]\n',
    'api/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "src/server.js"]\n',
    'deploy.sh': 'docker build -t europe-docker.pkg.dev/acme-prod/apps/api:1 api\ngcloud run deploy api --image europe-docker.pkg.dev/acme-prod/apps/api:1 --project acme-prod --set-env-vars ENVIRONMENT=production\n',
  };
  assert.deepEqual(await lacking(node), ['PARTNER_API_KEY']);
  // A server whose imports cannot all be followed may run anything: the Python file counts.
  assert.deepEqual(await lacking({ ...node, 'api/src/server.js': `require(process.env.PLUGIN || './x');\n${node['api/src/server.js']}` }), ['CACHE_TOKEN', 'PARTNER_API_KEY']);
});

test('a namespace package of the service (a folder of code without __init__.py) is followed into its modules, not taken for an unknown name', async () => {
  // `from tools import debug` with `api/tools/` a namespace package: the chain goes on.
  const extra: Files = { 'api/tools/debug.py': 'import os\nLEVEL = os.environ["DEBUG_LEVEL"]\n', 'api/server.py': `import uvicorn\nfrom tools import debug\nfrom app.main import app\nuvicorn.run(app)\n` };
  assert.deepEqual(await lacking(service(MAIN, extra, '["python", "server.py"]')), ['DEBUG_LEVEL', 'PARTNER_API_KEY']);
  // A name the workspace holds elsewhere, not above the importing module, still decides nothing.
  const elsewhere: Files = { 'libs/tools/debug.py': 'X = 1\n', 'api/server.py': `import uvicorn\nfrom tools import debug\nfrom app.main import app\nuvicorn.run(app)\n` };
  assert.deepEqual(await lacking(service(MAIN, elsewhere, '["python", "server.py"]')), BOTH);
});

test('a deploy of an image not built here runs the program its Cloud Run name starts elsewhere, however the commands spell it', async () => {
  // Two images of the one program (`uvicorn app.main:app`, `python app/main.py`) deployed as `api`;
  // a third deploy of `api` takes an image pushed elsewhere.
  const files = service(MAIN, {
    'api/Dockerfile.slim': 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nCMD ["python", "app/main.py"]\n',
    'deploy-slim.sh': '#!/usr/bin/env bash\ndocker build -f api/Dockerfile.slim -t gcr.io/acme-prod/api-slim:1 api\ngcloud run deploy api --image gcr.io/acme-prod/api-slim:1 --project acme-prod --set-env-vars "ENVIRONMENT=production"\n',
    'hotfix.sh': '#!/usr/bin/env bash\ngcloud run deploy api --image "$PUSHED_IMAGE" --project acme-prod --set-env-vars "ENVIRONMENT=production"\n',
  });
  assert.deepEqual(await lacking(files), ['PARTNER_API_KEY']);
});
