/**
 * A script embedded in another file (a workflow's `run:`, a Cloud Build step's `script:`) is read
 * from a shadow text (the whole file, everything else blanked) and the parser reads only the
 * script's lines (tree-sitter included ranges). The facts must be those of a parse of the whole
 * shadow text, spans included: wherever the script sits, whatever is before it (non-ASCII text,
 * CRLF line ends), and however it ends (a heredoc, no final line break).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractShell } from '../../server/src/extract/shell';
import { shadowText } from '../../server/src/extract/shadow-text';
import { emptyFacts, type FileFacts } from '../../server/src/core/facts';

before(ready);

function both(file: string, script: string): { whole: FileFacts; only: FileFacts; text: string } {
  const start = file.indexOf(script);
  assert.ok(start >= 0);
  const region = { start, end: start + script.length };
  const shadow = shadowText(file, region.start, region.end);
  const whole = emptyFacts('.github/workflows/deploy.yml', 'yaml', 'h');
  const only = emptyFacts('.github/workflows/deploy.yml', 'yaml', 'h');
  extractShell(shadow, whole, { via: 'github-actions' });
  extractShell(shadow, only, { via: 'github-actions' }, region);
  return { whole, only, text: file };
}

const DEPLOY = 'gcloud run deploy api-staging --image gcr.io/p/api --set-env-vars "DATABASE_URL=postgres://u@h/db,MODE=staging"';

test('a run step in the middle of a workflow, after non-ASCII text: same deploy, same spans', () => {
  const script = `echo "déploiement — ünïcode"\n${DEPLOY}\n`;
  const file = `name: Déploiement ✓\non: push\njobs:\n  d:\n    steps:\n      - run: |\n          ${script.replace(/\n(?=.)/g, '\n          ')}      - run: echo done\n`;
  const inner = file.slice(file.indexOf('echo "d'), file.indexOf('      - run: echo done'));
  const { whole, only, text } = both(file, inner);
  assert.equal(only.deploys.length, 1);
  assert.deepEqual(only, whole);
  assert.match(at(text, only.deploys[0]?.span) ?? '', /^gcloud run deploy api-staging/);
});

test('a step at the very end of the file, without a final line break', () => {
  const file = `steps:\n  - run: ${DEPLOY}`;
  const { whole, only } = both(file, DEPLOY);
  assert.equal(only.deploys.length, 1);
  assert.deepEqual(only, whole);
});

test('a heredoc closing the step, and CRLF line ends', () => {
  const script = `cat > env.yaml <<EOF\r\nA: "1"\r\nEOF\r\n${DEPLOY} --env-vars-file env.yaml\r\n`;
  const file = `steps:\r\n  - run: |\r\n      ${script.replace(/\r\n(?=.)/g, '\r\n      ')}  - run: echo later\r\n`;
  const inner = file.slice(file.indexOf('cat >'), file.indexOf('  - run: echo later'));
  const { whole, only } = both(file, inner);
  assert.equal(only.deploys.length, 1);
  assert.deepEqual(only, whole);
  const tail = `steps:\n  - run: |\n      ${DEPLOY} --env-vars-file env.yaml\n      cat <<EOF\n      x\n      EOF`;
  const t = both(tail, tail.slice(tail.indexOf('gcloud')));
  assert.deepEqual(t.only, t.whole);
});
