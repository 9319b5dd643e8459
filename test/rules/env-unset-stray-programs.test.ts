/**
 * env-unset-for-deploy and programs at a service's root that its image does not run: when every
 * run of the service's Dockerfiles names a module of one of its packages (`python -m src.main`), a
 * standalone program beside that package (its own `if __name__ == "__main__":`) is a tool someone
 * runs by hand; its reads are not the deploy's. Look-alikes: the same program where the image runs
 * a root module that imports it, and a read in a module of the package the program imports.
 * Minimal reproductions written from scratch.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const INSPECTOR = `import os

TABLE_BASE_ID = os.getenv("TABLE_BASE_ID")


def main() -> None:
    print(TABLE_BASE_ID.strip())


if __name__ == "__main__":
    main()
`;

const service = (cmd: string, extra: Files = {}): Files => ({
  'services/ledger/requirements.txt': 'fastapi\n',
  'services/ledger/Dockerfile': `FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ${cmd}\n`,
  'services/ledger/src/__init__.py': '',
  'services/ledger/src/main.py': 'import os\n\nQUEUE = os.environ["LEDGER_QUEUE"]\n',
  'services/ledger/inspect_tables.py': INSPECTOR,
  'deploy.sh': 'gcloud run deploy ledger-prod --source services/ledger --set-env-vars ENVIRONMENT=production,LEDGER_QUEUE=q\n',
  ...extra,
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'a program beside the package the image runs (python -m src.main)',
      files: service('["python", "-m", "src.main"]'),
      control: { files: service('["python", "inspect_tables.py"]') },
    },
    {
      name: 'the same with gunicorn naming the package module',
      files: service('["gunicorn", "src.main:app"]'),
      control: { files: service('["gunicorn", "main:app"]') },
    },
    {
      // Programs of a `workers/` package run as jobs elsewhere (`python -m workers.ingest`).
      name: 'a program in another top-level package than the one the image runs',
      files: service('["python", "-m", "src.main"]', { 'services/ledger/workers/__init__.py': '', 'services/ledger/workers/ingest.py': INSPECTOR }),
      control: { files: service('["python", "-m", "src.main"]', { 'services/ledger/src/ingest.py': INSPECTOR, 'services/ledger/src/main.py': 'import os\n\nfrom src import ingest\n\nQUEUE = os.environ["LEDGER_QUEUE"]\n' }) },
    },
    {
      // The module the image runs is seen, and it does not import the program (the control does).
      name: 'the image runs a root module that does not import the program',
      files: service('["uvicorn", "app:app"]', { 'services/ledger/app.py': 'from src.main import QUEUE\n' }),
      control: { files: service('["uvicorn", "app:app"]', { 'services/ledger/app.py': 'from src.main import QUEUE\nimport inspect_tables\n' }) },
    },
  ],
  invalid: [
    {
      name: 'look-alike: the image runs a root module that imports the program',
      files: service('["uvicorn", "app:app"]', { 'services/ledger/app.py': 'from src.main import QUEUE\nfrom inspect_tables import TABLE_BASE_ID\n' }),
      findings: [{
        at: 'deploy.sh:1', severity: 'error', messageId: 'deployWithout',
        message: /^ledger \(production\) is deployed without TABLE_BASE_ID, which services\/ledger\/inspect_tables\.py reads/,
        related: ['services/ledger/inspect_tables.py:3'],
        fixes: [{ title: /^Add TABLE_BASE_ID/, safe: false, preferred: true }],
      }],
    },
  ],
});
