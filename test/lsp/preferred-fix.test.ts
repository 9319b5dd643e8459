/**
 * Quick fixes carry the rule's choice of preferred fix: where a finding offers two ends (rename
 * the code's read, or the deploy's variable), exactly the one the rule prefers is `isPreferred`;
 * the other says `false` (editors apply the preferred one on "auto fix").
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction } from 'vscode-languageserver-protocol/node';
import { TestClient, ensureBuilt, uriOf } from './client';

const FILES: Record<string, string> = {
  'services/auth/package.json': '{ "name": "auth" }\n',
  'services/auth/src/oauth.ts': 'export const clientId = process.env.GOOGLE_CLIENT_ID ?? "";\n',
  'deploy/deploy-auth-staging.sh': '#!/usr/bin/env bash\ngcloud run deploy auth-staging --source services/auth --project acme-staging \\\n  --set-env-vars "ENVIRONMENT=staging,GOOGLE_OAUTH_CLIENT_ID_STAGING=abc.apps.googleusercontent.com"\n',
};

let client: TestClient | undefined;
let root: string | undefined;
after(() => {
  if (client && client.child.exitCode === null) client.child.kill();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('language server: a finding with two fixes marks only the preferred one isPreferred', async () => {
  ensureBuilt();
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dp-lsp-preferred-')));
  for (const [rel, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const c = (client = new TestClient());
  c.settings = { enable: true, scope: 'workspace' };
  await c.conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    workspaceFolders: [{ uri: uriOf(root, '.'), name: 'ws' }],
    initializationOptions: { settings: c.settings },
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true },
      textDocument: { publishDiagnostics: { relatedInformation: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } } },
    },
  });
  await c.conn.sendNotification('initialized', {});
  // The problem is at the deploy's variable (the read carries an other-end hint, with no actions).
  const uri = uriOf(root, 'deploy/deploy-auth-staging.sh');
  const diagnostic = () => (c.diagnostics.get(uri) ?? []).find((d) => d.code === 'oauth-env-mismatch' && d.severity !== 4);
  await c.waitFor('the oauth-env-mismatch diagnostic on the deploy', () => !!diagnostic(), 60000);
  const d = diagnostic()!;
  const actions = await c.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } }) as CodeAction[];
  const fixes = actions.filter((a) => !a.title.startsWith('Disable '));
  assert.deepEqual(fixes.map((a) => [a.title, a.kind, a.isPreferred]), [
    ['Read GOOGLE_OAUTH_CLIENT_ID_STAGING instead of GOOGLE_CLIENT_ID in auth\'s code', 'quickfix', true],
    ['Rename GOOGLE_OAUTH_CLIENT_ID_STAGING to GOOGLE_CLIENT_ID in deploy/deploy-auth-staging.sh (auth (staging))', 'quickfix', false],
  ]);
  await c.conn.sendRequest('shutdown');
  await c.conn.sendNotification('exit');
});
