/**
 * Which files may hold a word (`WordHolders`), kept across model builds by the engine: an edit
 * re-searches only the words the changed file may hold, before or after. A kept answer that an
 * edit should have changed would leave a read judged "nothing calls it" after a caller appears
 * (a missed finding), or keep a finding after the last caller goes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ready, writeFiles } from '../helpers';
import { WordHolders } from '../../server/src/model/file-words';
import { extractFile } from '../../server/src/extract';
import { Analysis } from '../../server/src/engine/analysis';
import type { FileFacts } from '../../server/src/core/facts';

before(ready);
const dirs: string[] = [];
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

const names = (it: Iterable<[string, FileFacts]>): string[] => [...it].map(([f]) => f);

test('answers follow each reported change: a file that starts or stops naming a word, one added, one removed', () => {
  const files = new Map<string, FileFacts>();
  const put = (rel: string, text: string): void => {
    const before = files.get(rel);
    const facts = extractFile(rel, text);
    files.set(rel, facts);
    holders.changed(rel, before, facts);
  };
  const holders = new WordHolders(files);
  put('app/a.py', 'def summary():\n    return 1\n');
  put('app/b.py', 'from app.a import summary\nprint(summary())\n');
  put('app/c.py', 'x = 1\n');
  put('tests/test_a.py', 'from app.a import summary\nassert summary() == 1\n');

  assert.deepEqual(names(holders.naming(['summary'], 'app/a.py')), ['app/b.py'], 'tests do not count; the defining file is left out');
  put('app/c.py', 'from app.a import summary\nsummary()\n');
  assert.deepEqual(names(holders.naming(['summary'], 'app/a.py')), ['app/b.py', 'app/c.py'], 'a file that starts naming it');
  put('app/b.py', 'print(2)\n');
  assert.deepEqual(names(holders.naming(['summary'], 'app/a.py')), ['app/c.py'], 'a file that stops naming it');
  put('app/d.py', 'import app.a\napp.a.summary()\n');
  assert.deepEqual(names(holders.naming(['summary'], 'app/a.py', 'app/')), ['app/c.py', 'app/d.py'], 'a file added');
  holders.changed('app/c.py', files.get('app/c.py'), undefined);
  files.delete('app/c.py');
  assert.deepEqual(names(holders.naming(['summary'], 'app/a.py')), ['app/d.py'], 'a file removed');
  // Every word must be held: a class's and its method's names.
  put('app/e.py', 'class Billing:\n    def charge(self):\n        pass\nBilling().charge()\n');
  assert.deepEqual(names(holders.naming(['Billing', 'charge'], 'app/x.py')), ['app/e.py']);
  assert.deepEqual(names(holders.naming(['Billing', 'refund'], 'app/x.py')), []);
});

test('the engine keeps its answers across edits, and an edit that adds or removes the only caller moves the finding', async () => {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-holders-')));
  dirs.push(root);
  writeFiles(root, {
    'api/requirements.txt': 'fastapi\nuvicorn\n',
    'api/Dockerfile': 'FROM python:3.12-slim\nWORKDIR /srv\nCOPY . .\nCMD ["uvicorn", "app.main:app"]\n',
    'api/app/__init__.py': '',
    'api/app/main.py': 'from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/")\ndef index():\n    return {}\n',
    'api/app/tasks.py': 'import os\n\ndef summary():\n    return {"key": os.environ["SUMMARY_KEY"]}\n',
    'deploy.sh': '#!/usr/bin/env bash\ngcloud run deploy api --source api --project acme-prod --set-env-vars "ENVIRONMENT=production"\n',
  });
  const analysis = new Analysis(root, { cacheLocation: path.join(root, '.cache') });
  await analysis.load({});
  const lacking = (): string[] => analysis.findings().filter((f) => f.rule === 'env-unset-for-deploy' && f.message.includes('SUMMARY_KEY')).map((f) => f.message);
  assert.deepEqual(lacking(), [], 'nothing calls summary(): its read is no requirement');

  const calling = 'from fastapi import FastAPI\nfrom app import tasks\napp = FastAPI()\n\n@app.get("/")\ndef index():\n    return tasks.summary()\n';
  analysis.openDocument('api/app/main.py', calling);
  assert.equal(lacking().length, 1, 'a caller appeared: SUMMARY_KEY is required and unset');
  analysis.updateDocument('api/app/main.py', calling.replace('tasks.summary()', '{}'));
  assert.deepEqual(lacking(), [], 'the only caller went');
  analysis.updateDocument('api/app/main.py', calling);
  assert.equal(lacking().length, 1, 'and came back');
});
