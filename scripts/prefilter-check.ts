/**
 * Proves the byte-level prefilters lossless on real trees: every file of each tree is extracted
 * with the prefilters on and off, and the facts must be equal (the prefilters only decide which
 * files reach a parser; they must never change what a parsed file yields).
 *
 *   node --import tsx scripts/prefilter-check.ts                # every tree under $CORPUS_DIR
 *   node --import tsx scripts/prefilter-check.ts --repo NAME    # one tree (repeatable)
 *   node --import tsx scripts/prefilter-check.ts --dir PATH     # any folder
 *
 * The held-out repositories (test/corpus/manifest.json `heldOut`) are skipped:
 * a difference there would mean reading their code. Prints per tree: files, how many reached a
 * parser with and without the prefilters, the extraction time both ways, and every difference.
 * Exits 1 on any difference.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusTrees } from './corpus-trees';
import { performance } from 'node:perf_hooks';
import { Workspace } from '../server/src/engine/workspace';
import { prefilters } from '../server/src/extract/prefilters';


function args(): string[] {
  return corpusTrees(process.argv.slice(2));
}

/** The facts of every file, as comparable text (the hash of the text is kept: it must agree too). */
async function factsOf(dir: string, enabled: boolean): Promise<{ facts: Map<string, string>; ms: number }> {
  prefilters.enabled = enabled;
  const ws = new Workspace(dir);
  const t0 = performance.now();
  await ws.loadAll();
  const ms = performance.now() - t0;
  const facts = new Map<string, string>();
  for (const [rel, e] of ws.files) facts.set(rel, JSON.stringify(e.facts));
  return { facts, ms };
}

async function main(): Promise<void> {
  let differences = 0;
  const rows: string[] = ['| tree | files | with prefilters | without | differences |', '|---|---:|---:|---:|---:|'];
  for (const dir of args()) {
    const on = await factsOf(dir, true);
    const off = await factsOf(dir, false);
    let diff = 0;
    for (const rel of new Set([...on.facts.keys(), ...off.facts.keys()])) {
      if (on.facts.get(rel) === off.facts.get(rel)) continue;
      diff++;
      console.log(`DIFF ${path.basename(dir)}/${rel}\n  with:    ${on.facts.get(rel)?.slice(0, 600)}\n  without: ${off.facts.get(rel)?.slice(0, 600)}`);
    }
    differences += diff;
    rows.push(`| ${path.basename(dir)} | ${on.facts.size} | ${(on.ms / 1000).toFixed(1)} s | ${(off.ms / 1000).toFixed(1)} s | ${diff} |`);
    console.error(rows[rows.length - 1]);
  }
  prefilters.enabled = true;
  console.log(rows.join('\n'));
  if (differences) {
    console.log(`${differences} file(s) differ: a prefilter loses facts`);
    process.exitCode = 1;
  }
}

void main();
