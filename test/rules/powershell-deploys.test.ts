/**
 * A PowerShell deploy script (`deploy_backend.ps1`) is a deploy like a shell script: its
 * placeholder secrets and the variables it leaves out are findings, and a fix writes PowerShell
 * (quoted, continued with a backtick). Minimal original reproductions of Windows-first repositories'
 * deploys: `cmd /c "gcloud run deploy …"`, backtick continuations, `param()` defaults.
 */
import { before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import type { Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { placeholderSecret } from '../../server/src/rules/placeholder-secret';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

/** A FastAPI backend signing tokens with SECRET_KEY, its Dockerfile beside it. */
const BACKEND: Files = {
  'backend/requirements.txt': 'fastapi\nuvicorn\npython-jose\n',
  'backend/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8080"]\n',
  'backend/app/__init__.py': '',
  'backend/app/main.py': 'from fastapi import FastAPI\nfrom app.auth import sign\n\napp = FastAPI()\n\n@app.get("/token")\ndef token():\n    return {"token": sign("me")}\n',
  'backend/app/auth.py': 'import os\nfrom jose import jwt\n\nSECRET_KEY = os.environ["SECRET_KEY"]\nDATABASE_URL = os.environ["DATABASE_URL"]\n\ndef sign(sub):\n    return jwt.encode({"sub": sub}, SECRET_KEY)\n',
};

/** The backend's deploy as a Windows developer writes it: cmd /c with the whole command line. */
const CMD_DEPLOY = (envVars: string): Files => ({
  'backend/deploy_backend.ps1': [
    '$PROJECT_ID = "acme-prod"',
    '$SERVICE_NAME = "backend"',
    '$REGION = "europe-west1"',
    'Set-Location $PSScriptRoot',
    'cmd /c "gcloud builds submit --tag gcr.io/$PROJECT_ID/$SERVICE_NAME . --project $PROJECT_ID"',
    `cmd /c "gcloud run deploy $SERVICE_NAME --image gcr.io/$PROJECT_ID/$SERVICE_NAME --region $REGION --project $PROJECT_ID --set-env-vars ${envVars}"`,
    '',
  ].join('\n'),
});

/** The same deploy written with backtick continuations and a quoted list. */
const BACKTICK_DEPLOY = (lines: string[]): Files => ({
  'deploy/deploy-backend.ps1': [
    'param([string]$ProjectId = "acme-prod")',
    '',
    'gcloud run deploy backend `',
    '    --source backend `',
    '    --project $ProjectId `',
    '    --region europe-west1 `',
    ...lines.map((l, i) => `    ${l}${i < lines.length - 1 ? ' `' : ''}`),
    '',
  ].join('\n'),
});

RuleTester.run(placeholderSecret, {
  valid: [
    {
      name: 'the key comes from Secret Manager',
      files: { ...BACKEND, ...CMD_DEPLOY('DATABASE_URL=postgresql://app@10.0.0.3/app --set-secrets SECRET_KEY=secret-key:latest') },
      control: { files: { ...BACKEND, ...CMD_DEPLOY('SECRET_KEY=change_me_in_production,DATABASE_URL=postgresql://app@10.0.0.3/app') } },
    },
    {
      name: 'the key is the caller\'s ($env:SECRET_KEY), unseen here',
      files: { ...BACKEND, ...BACKTICK_DEPLOY(['--set-env-vars "SECRET_KEY=$env:SECRET_KEY,DATABASE_URL=$env:DATABASE_URL"']) },
      control: { files: { ...BACKEND, ...BACKTICK_DEPLOY(['--set-env-vars "SECRET_KEY=change-me,DATABASE_URL=$env:DATABASE_URL"']) } },
    },
    {
      name: 'a deploy printed by Write-Host deploys nothing',
      files: { ...BACKEND, 'deploy/readme.ps1': 'Write-Host "gcloud run deploy backend --source backend --set-env-vars SECRET_KEY=change_me"\n' },
    },
  ],
  invalid: [
    {
      name: 'cmd /c "gcloud run deploy … --set-env-vars SECRET_KEY=…change_me…": said at the value',
      files: { ...BACKEND, ...CMD_DEPLOY('SECRET_KEY=change_me_in_production,DATABASE_URL=postgresql://app@10.0.0.3/app') },
      findings: [{
        at: 'backend/deploy_backend.ps1:6', text: 'change_me_in_production', severity: 'error', messageId: 'useSetSecrets',
        message: /^SECRET_KEY for backend \(production\) is a placeholder/,
        related: [],
        // Inside cmd's string the text is quoted twice over: no edit is offered there.
        fixes: [],
      }],
    },
    {
      name: 'a backtick-continued deploy with a quoted list: the fix moves the value to a secret, in PowerShell',
      files: { ...BACKEND, ...BACKTICK_DEPLOY(['--set-env-vars "DATABASE_URL=postgresql://app@10.0.0.3/app,SECRET_KEY=change-me"', "--set-secrets 'OTHER=other:latest'"]) },
      findings: [{
        at: 'deploy/deploy-backend.ps1:7', text: 'change-me', severity: 'error', messageId: 'useSetSecrets',
        message: /^SECRET_KEY for backend \(production\) is a placeholder/,
        related: [],
        fixes: [{ title: /SECRET_KEY/, safe: false, preferred: true, output: {
          contains: { 'deploy/deploy-backend.ps1': "--set-secrets 'OTHER=other:latest,SECRET_KEY=" },
          lacks: { 'deploy/deploy-backend.ps1': 'change-me' },
          remaining: [],
        } }],
      }],
    },
  ],
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'the PowerShell deploy sets what the code requires',
      files: { ...BACKEND, ...BACKTICK_DEPLOY(['--set-env-vars "DATABASE_URL=postgresql://app@10.0.0.3/app"', "--set-secrets 'SECRET_KEY=secret-key:latest'"]) },
      control: { files: { ...BACKEND, ...BACKTICK_DEPLOY(["--set-secrets 'SECRET_KEY=secret-key:latest'", '--set-env-vars "LOG_LEVEL=info"']) } },
    },
    {
      // Unquoted, the comma makes two arguments: the command is not read, so nothing is claimed.
      name: 'an unquoted comma list is not read',
      files: { ...BACKEND, ...BACKTICK_DEPLOY(['--set-env-vars LOG_LEVEL=info,MODE=prod']) },
    },
  ],
  invalid: [
    {
      name: 'the deploy replaces the environment without DATABASE_URL: the fix adds it to the secrets, inside the quotes',
      files: { ...BACKEND, ...BACKTICK_DEPLOY(['--set-env-vars "LOG_LEVEL=info"', "--set-secrets 'SECRET_KEY=secret-key:latest'"]) },
      findings: [{
        at: 'deploy/deploy-backend.ps1:8', severity: 'error', messageId: 'deployWithout',
        message: /^backend \(production\) is deployed without DATABASE_URL, which backend\/app\/auth\.py reads/,
        related: [{ at: 'backend/app/auth.py:5', text: 'DATABASE_URL' }],
        fixes: [{ title: /^Add DATABASE_URL/, safe: false, preferred: true, output: {
          check: (r) => {
            const text = r.after['deploy/deploy-backend.ps1']!;
            assert.match(text, /--set-secrets 'SECRET_KEY=secret-key:latest,DATABASE_URL=database-url:latest'\n$/);
            assert.match(text, /--set-env-vars "LOG_LEVEL=info" `\n/);
          },
          remaining: [],
        } }],
      }],
    },
  ],
});
