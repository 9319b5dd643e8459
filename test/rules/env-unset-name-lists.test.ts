/**
 * env-unset-for-deploy with Python's start-up check over a list of names: each name the loop
 * rejects when missing (`raise SystemExit`, `sys.exit`, after collecting the missing ones) is
 * needed from the deploy. A list whose missing names are only logged asks for nothing, and, as
 * for any read, a module that also tests the variable elsewhere handles its absence.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const APP_HEAD = `import os
import sys

`;

/** Module constants of the same names, tested before use (USES): the module copes without them. */
const CONSTANTS = `CHANNEL_ID = os.environ.get("CHANNEL_ID")
SEARCH_KEY = os.environ.get("SEARCH_KEY")
`;

const PREFLIGHT = `

def preflight():
    required = [
        "CHANNEL_ID",
        "SEARCH_KEY",
    ]
    for var in required:
        if not os.environ.get(var):
            sys.exit(f"missing {var}")


preflight()
`;

const USES = `

def reply(text):
    if not CHANNEL_ID:
        return None
    return send(CHANNEL_ID, text)


def search(q):
    if SEARCH_KEY:
        return lookup(SEARCH_KEY, q)
    return []
`;

const LOGS_ONLY = `

def preflight():
    missing = [v for v in ("CHANNEL_ID", "SEARCH_KEY") if not os.getenv(v)]
    if missing:
        print("running without", missing)


preflight()
`;

const DEPLOY = `#!/usr/bin/env bash
set -euo pipefail
gcloud run deploy linebot --source linebot --project acme-prod --region asia-east1 \\
  --set-env-vars "LOG_LEVEL=info"
`;

const bot = (app: string, extra: Files = {}): Files => ({
  'linebot/requirements.txt': 'flask\n',
  'linebot/app.py': app,
  'deploy.sh': DEPLOY,
  ...extra,
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      name: 'a start-up check that only prints the missing names: nothing needed',
      files: bot(APP_HEAD + LOGS_ONLY),
      control: { files: bot(APP_HEAD + PREFLIGHT) },
    },
    {
      name: 'the module also tests both variables where it uses them: it handles their absence',
      files: bot(APP_HEAD + CONSTANTS + USES + PREFLIGHT),
      control: { files: bot(APP_HEAD + PREFLIGHT) },
    },
    {
      name: 'the deploy sets every name of the list',
      files: bot(APP_HEAD + PREFLIGHT, { 'deploy.sh': DEPLOY.replace('LOG_LEVEL=info', 'LOG_LEVEL=info,CHANNEL_ID=abc,SEARCH_KEY=def') }),
      control: { files: bot(APP_HEAD + PREFLIGHT) },
    },
  ],
  invalid: [
    {
      name: 'a start-up loop exiting on a missing name: the name the deploy leaves out, at its place in the list',
      files: bot(APP_HEAD + PREFLIGHT, { 'deploy.sh': DEPLOY.replace('LOG_LEVEL=info', 'LOG_LEVEL=info,SEARCH_KEY=def') }),
      findings: [{
        at: 'deploy.sh:4', severity: 'error', messageId: 'deployWithout',
        message: /^linebot \(production\) is deployed without CHANNEL_ID, which linebot\/app\.py reads$/,
        related: [{ at: 'linebot/app.py:8', text: 'CHANNEL_ID' }],
        fixes: [{
          title: /^Add CHANNEL_ID=/, safe: false, preferred: true,
          output: { contains: { 'deploy.sh': 'CHANNEL_ID=' }, remaining: [] },
        }],
      }],
    },
    {
      name: 'the missing names collected by a comprehension, then a raise: the same',
      files: bot(APP_HEAD + LOGS_ONLY.replace('print("running without", missing)', 'raise RuntimeError(missing)'),
        { 'deploy.sh': DEPLOY.replace('LOG_LEVEL=info', 'LOG_LEVEL=info,CHANNEL_ID=c1') }),
      findings: [{
        at: 'deploy.sh:4', severity: 'error', messageId: 'deployWithout',
        message: /^linebot \(production\) is deployed without SEARCH_KEY, which linebot\/app\.py reads$/,
        related: [{ at: 'linebot/app.py:7', text: 'SEARCH_KEY' }],
        fixes: [{ title: /^Add SEARCH_KEY=/, safe: false, preferred: true }],
      }],
    },
  ],
});
