/**
 * Fix round trips for rule tests (not a test file itself): apply one finding's fix, then check
 * that the finding is gone on re-analysis, only the fix's files changed and only inside the
 * edits, every changed file still parses with a real parser (and re-extracts with no new
 * problems), and that running the rule again asks for no further change.
 */
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { ts } from 'ts-morph';
import { withBashTree, withPythonTree, withTerraformTree } from '../../server/src/parsers/tree-sitter';
import { powershellParsesWhole } from '../../server/src/extract/powershell';
import { extractFile } from '../../server/src/extract/index';
import type { Finding } from '../../server/src/core/findings';
import type { Fix } from '../../server/src/core/edits';
import { analyze, applyFix, changedFiles, type Files } from '../rule-harness';

/** Syntax errors a real parser finds in `text` (by file kind). */
export function syntaxErrors(file: string, text: string): string[] {
  if (/\.ya?ml$/.test(file)) return parseDocument(text).errors.map((e) => e.message);
  if (/\.py$/.test(file)) return withPythonTree(text, (root) => (root.hasError ? ['Python syntax error'] : []));
  if (/\.(sh|bash)$/.test(file)) return withBashTree(text, (root) => (root.hasError ? ['shell syntax error'] : []));
  if (/\.(tf|tfvars)$/.test(file)) return withTerraformTree(text, (root) => (root.hasError ? ['Terraform syntax error'] : []));
  if (/\.ps1$/.test(file)) return powershellParsesWhole(text) ? [] : ['PowerShell syntax error'];
  if (/\.[cm]?[jt]sx?$/.test(file)) {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
    return diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  return [];
}

/** Text outside the edits is unchanged: compares the pieces between edits, in order. */
export function assertOnlyInsideEdits(before: string, after: string, edits: Fix['edits']): void {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start);
  let bPos = 0;
  let aPos = 0;
  for (const e of sorted) {
    const keep = before.slice(bPos, e.span.start);
    assert.equal(after.slice(aPos, aPos + keep.length), keep, 'text before an edit changed');
    aPos += keep.length;
    assert.equal(after.slice(aPos, aPos + e.newText.length), e.newText, 'edit text not found where expected');
    aPos += e.newText.length;
    bPos = e.span.end;
  }
  assert.equal(after.slice(aPos), before.slice(bPos), 'text after the last edit changed');
}

export interface RoundTrip {
  before: Finding;
  fix: Fix;
  after: Files;
  findingsAfter: Finding[];
}

/**
 * Applies one fix of the first `rule` finding `pick` accepts — `fixIndex` (default 0), or the fix
 * whose title matches `title` — and checks the round trip. Returns the new files and findings.
 */
export async function roundTrip(
  rule: string,
  files: Files,
  pick: (f: Finding) => boolean,
  opts: { fixIndex?: number; title?: RegExp; config?: string } = {},
): Promise<RoundTrip> {
  const { findings } = await analyze(files, opts.config);
  const before = findings.find((f) => f.rule === rule && pick(f));
  assert.ok(before, `no ${rule} finding matched; got: ${findings.filter((f) => f.rule === rule).map((f) => `${f.file}:${f.range.start.line + 1} ${f.message}`).join(' | ')}`);
  const title = opts.title;
  const fix = title ? before.fixes.find((x) => title.test(x.title)) : before.fixes[opts.fixIndex ?? 0];
  assert.ok(fix, `the ${rule} finding has no fix ${title ? `titled ${title}` : `#${opts.fixIndex ?? 0}`}; it has ${JSON.stringify(before.fixes.map((x) => x.title))}`);
  const after = applyFix(files, fix);
  const touched = [...new Set(fix.edits.map((e) => e.file))].sort();
  assert.deepEqual(changedFiles(files, after).sort(), touched, 'only the fix\'s files change');
  for (const file of touched) {
    assertOnlyInsideEdits(files[file], after[file], fix.edits.filter((e) => e.file === file));
    assert.deepEqual(syntaxErrors(file, after[file]), syntaxErrors(file, files[file]), `${file} no longer parses`);
    const problems = (text: string) => extractFile(file, text).problems.map((p) => p.message);
    assert.deepEqual(problems(after[file]), problems(files[file]), `${file} re-extracts with new problems`);
  }
  const findingsAfter = (await analyze(after, opts.config)).findings;
  assert.ok(!findingsAfter.some((f) => f.fingerprint === before.fingerprint), `the ${rule} finding is still there after the fix`);
  // Idempotent: nothing of this rule asks to edit the files again in the same place.
  for (const f of findingsAfter.filter((x) => x.rule === rule)) {
    for (const x of f.fixes) {
      for (const e of x.edits) {
        const same = fix.edits.some((o) => o.file === e.file && o.newText === e.newText);
        assert.ok(!same, `the same fix is offered again: ${x.title}`);
      }
    }
  }
  return { before, fix, after, findingsAfter };
}
