/**
 * File and folder names that break naive reports: a space, `%`, `#`, `?`, brackets, a comma and a
 * colon. SARIF stays valid against the published schema (URIs percent-encoded per segment,
 * decoding back to the file), annotations escape their properties, and the repository root itself
 * may hold such characters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { cli, fixtureRepo } from './helpers';

/** Where the fixture goes inside the repository: one segment with every troublesome character. */
const HOSTILE = 'ops 100% #1 ?[x],a:b';

function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'schemas', 'sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

test('hostile names: SARIF valid, every URI percent-encoded and resolving to its file under %SRCROOT%', async () => {
  const repo = fixtureRepo('repo with space 50%', { under: HOSTILE });
  const r = await cli([HOSTILE, '--format', 'sarif'], { cwd: repo });
  assert.equal(r.code, 1, r.err);
  const log = JSON.parse(r.out) as { runs: any[] };
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));

  const run = log.runs[0];
  const base = run.originalUriBaseIds['%SRCROOT%'].uri as string;
  assert.ok(base.endsWith('/') && !/[ ]/.test(base), base);
  assert.equal(fileURLToPath(base), `${repo}/`);
  const artifacts = run.results.flatMap((x: any) => [...x.locations, ...x.relatedLocations].map((l: any) => l.physicalLocation.artifactLocation));
  assert.ok(artifacts.length >= 2);
  for (const a of artifacts) {
    assert.equal(a.uriBaseId, '%SRCROOT%');
    // Nothing a URI reference cannot hold raw: no space, no bare %, no # or ? (they would start a
    // fragment or a query), no brackets.
    assert.ok(!/[ #?[\]]|%(?![0-9A-F]{2})/.test(a.uri), a.uri);
    const resolved = new URL(a.uri, base);
    assert.ok(fs.existsSync(fileURLToPath(resolved)), `${a.uri} resolves to a file of the repository`);
    assert.ok(decodeURIComponent(a.uri).startsWith(`${HOSTILE}/`), a.uri);
  }
  assert.equal(run.automationDetails.id, `deploy-preflight/${HOSTILE}/`);
});

test('hostile names: annotations escape the file property, so GitHub reads the whole name', async () => {
  const repo = fixtureRepo('annotations repo', { under: HOSTILE });
  const r = await cli([HOSTILE, '--format', 'github'], { cwd: repo });
  assert.equal(r.code, 1, r.err);
  const files = [...r.out.matchAll(/^::(?:error|warning|notice) file=([^,]*),line=\d+/gm)].map((m) => m[1]);
  assert.ok(files.length > 0, r.out);
  for (const f of files) {
    assert.ok(!/[,:]/.test(f), `${f}: commas and colons are escaped in a property`);
    const name = f.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
    assert.ok(fs.existsSync(path.join(repo, name)), `${name} is a file of the checkout`);
  }
});
