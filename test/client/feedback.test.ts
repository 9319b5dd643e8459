/** The extension's message text (client/src/feedback.ts): pure functions of the server's results. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkWorkspaceFeedback, fixAllFeedback, listNames, statusText } from '../../client/src/feedback';

test('feedback.ts imports no vscode (unit-testable outside the editor)', () => {
  const text = fs.readFileSync(path.join(__dirname, '..', '..', 'client', 'src', 'feedback.ts'), 'utf8');
  assert.doesNotMatch(text, /from 'vscode'|require\('vscode'\)/);
});

test('listNames: at most five, then "and N more"', () => {
  assert.equal(listNames([]), '');
  assert.equal(listNames(['a']), 'a');
  assert.equal(listNames(['a', 'b']), 'a and b');
  assert.equal(listNames(['a', 'b', 'c', 'd', 'e']), 'a, b, c, d and e');
  assert.equal(listNames(['a', 'b', 'c', 'd', 'e', 'f', 'g']), 'a, b, c, d, e and 2 more');
});

test('fix all: the files changed, with counts when several', () => {
  const one = fixAllFeedback({ applied: 2, files: [{ path: 'deploy/api.sh', uri: 'file:///w/deploy/api.sh', fixes: 2 }], left: 0 });
  assert.deepEqual(one, { message: 'Deploy Preflight: 2 fixes applied in 1 file: deploy/api.sh.', changed: true });
  const files = ['a.sh', 'b.sh', 'c.yaml', 'd.yaml', 'e.env', 'f.env'].map((p, i) => ({ path: p, uri: `file:///w/${p}`, fixes: i === 0 ? 3 : 1 }));
  const many = fixAllFeedback({ applied: 8, files, left: 1 });
  assert.equal(many.message, 'Deploy Preflight: 8 fixes applied in 6 files: a.sh (3), b.sh, c.yaml, d.yaml, e.env and 1 more. ' +
    '1 problem left for you: its fix needs a value or a decision only you have.');
  assert.equal(many.changed, true);
  assert.equal(fixAllFeedback({ applied: 1, files: [files[1]], left: 0 }).message, 'Deploy Preflight: 1 fix applied in 1 file: b.sh.');
});

test('fix all: nothing applied says why', () => {
  assert.deepEqual(fixAllFeedback({ applied: 0, files: [], left: 2, reason: 'no safe fix: these need a value only you know' }),
    { message: 'Deploy Preflight: no safe fix: these need a value only you know.', changed: false });
  assert.equal(fixAllFeedback({ applied: 0, files: [], left: 0 }).message, 'Deploy Preflight: nothing was fixed.');
  assert.match(fixAllFeedback(null).message, /no answer from the language server/);
});

test('check workspace: files checked and problems by severity', () => {
  assert.equal(checkWorkspaceFeedback({ findings: 16, files: 42, folders: 1, problems: { error: 3, warning: 12, info: 1 } }),
    'Deploy Preflight: 42 files checked: 16 problems (3 errors, 12 warnings, 1 info).');
  assert.equal(checkWorkspaceFeedback({ findings: 1, files: 5, folders: 2, problems: { error: 0, warning: 1, info: 0 } }),
    'Deploy Preflight: 5 files checked in 2 folders: 1 problem (1 warning).');
  assert.equal(checkWorkspaceFeedback({ findings: 0, files: 1, folders: 1, problems: { error: 0, warning: 0, info: 0 } }),
    'Deploy Preflight: 1 file checked, no problems found.');
  assert.match(checkWorkspaceFeedback(undefined), /no answer/);
});

test('status text: this file and the workspace', () => {
  assert.equal(statusText({ indexing: false, here: 2, workspace: 16 }), '2 here · 16 in workspace');
  assert.equal(statusText({ indexing: false, here: 0, workspace: 0 }), '0 here · 0 in workspace');
  assert.equal(statusText({ indexing: true, here: 2, workspace: 16 }), 'indexing…');
  assert.equal(statusText({ indexing: false, here: 0, workspace: undefined }), 'indexing…');
  assert.equal(statusText({ indexing: false, here: 0, workspace: 3, stopped: true }), 'stopped');
});
