/**
 * Fingerprints survive line moves, for every rule: lines are inserted at the top of every file of
 * the example (comments in each file's own syntax, and blank lines), and the example is analysed
 * again. Every finding must move down by exactly the inserted lines and keep its fingerprint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import { RULES } from '../../server/src/rules/registry';

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'staging-audit');
const SHIFT = 3;

interface JsonFinding { rule: string; file: string; fingerprint: string; range: { start: { line: number } } }

/** What is running for the example: the drift rules (deploy-drift, secret-missing) need it to fire. */
const DEPLOYED = path.join(__dirname, '..', '..', 'examples', 'staging-audit-deployed');

/** The ordinary check's findings and `drift --deployed`'s (the drift rules only run there). */
async function findings(dir: string): Promise<JsonFinding[]> {
  const all: JsonFinding[] = [];
  for (const argv of [[dir], ['drift', dir, '--deployed', DEPLOYED]]) {
    let out = '';
    const code = await main([...argv, '--format', 'json', '--exit-zero'], (s) => { out += s; }, () => undefined);
    assert.equal(code, 0);
    all.push(...(JSON.parse(out).findings as JsonFinding[]));
  }
  return all;
}

/** SHIFT lines that change nothing in a file of this kind: comments in its syntax, a blank line. */
function paddingFor(rel: string): string[] {
  const base = path.posix.basename(rel);
  if (/\.(py|sh|bash|ya?ml|txt|toml|cfg|ini)$/.test(base) || /^\.env/.test(base) || base === 'Dockerfile' || base === '.gitignore') {
    return ['# a comment line pushed everything down', '', '# and another'];
  }
  if (/\.[cm]?[jt]sx?$/.test(base)) return ['// a comment line pushed everything down', '', '/* and another */'];
  if (base.endsWith('.md')) return ['<!-- a comment line pushed everything down -->', '', '<!-- and another -->'];
  // JSON has no comments: blank lines.
  return ['', '', ''];
}

function shiftEveryFile(dir: string): string[] {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).split(path.sep).join('/'));
  for (const rel of files) {
    const p = path.join(dir, rel);
    const text = fs.readFileSync(p, 'utf8');
    const pad = paddingFor(rel);
    assert.equal(pad.length, SHIFT);
    // A shebang stays the first line; the padding goes right after it.
    const cut = text.startsWith('#!') ? text.indexOf('\n') + 1 : 0;
    fs.writeFileSync(p, text.slice(0, cut) + pad.map((l) => `${l}\n`).join('') + text.slice(cut));
  }
  return files;
}

test('every rule\'s fingerprints are unchanged when every file of the example gains lines at the top', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-fingerprints-'));
  try {
    fs.cpSync(EXAMPLE, dir, { recursive: true });
    const before = await findings(dir);
    // The example exercises every rule, so this checks every rule's fingerprint key.
    assert.deepEqual([...new Set(before.map((f) => f.rule))].sort(), RULES.map((r) => r.meta.id).sort());
    const shifted = shiftEveryFile(dir);
    assert.ok(shifted.length > 20, `every file shifted (${shifted.length})`);
    const after = await findings(dir);
    const key = (f: JsonFinding) => `${f.rule} ${f.file} ${f.fingerprint}`;
    assert.deepEqual(after.map(key).sort(), before.map(key).sort(), 'the same findings, with the same fingerprints');
    // The lines did move (else this would check nothing): each finding is SHIFT lines further down.
    const line = new Map(before.map((f) => [key(f), f.range.start.line]));
    for (const f of after) assert.equal(f.range.start.line, line.get(key(f))! + SHIFT, `${key(f)} moved by ${SHIFT} lines`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
