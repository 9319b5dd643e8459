/**
 * What each prefilter trigger costs and yields on real trees: for every code file the CLI would
 * parse (tests are never parsed by a findings-only host, so they are left out unless `--tests`),
 * which trigger admitted it, whether its extracted facts hold anything a rule reads, and the
 * extraction time (the parse included). A trigger that admits many files and yields facts in few
 * is the one to make finer; "sole" counts the files no other trigger admits (narrowing that
 * trigger skips exactly those).
 *
 *   node --import tsx scripts/prefilter-stats.ts                # every non-held-out tree under $CORPUS_DIR
 *   node --import tsx scripts/prefilter-stats.ts --repo NAME    # one tree (repeatable)
 *   node --import tsx scripts/prefilter-stats.ts --dir PATH [--tests] [--list TRIGGER]
 *
 * `--list TRIGGER` prints the files that trigger alone admits and whether each yielded facts.
 * Python files are attributed to every trigger they hold; TypeScript files to the first one
 * (typeScriptTrigger's order).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusTrees } from './corpus-trees';
import { performance } from 'node:perf_hooks';
import { Workspace, engineReady } from '../server/src/engine/workspace';
import { listFiles } from '../server/src/engine/scan';

import { classify } from '../server/src/extract/classify';
import { extractFile } from '../server/src/extract/index';
import type { ExtractOptions } from '../server/src/extract/options';
import type { FileFacts } from '../server/src/core/facts';
import { isTestPath } from '../server/src/knowledge/test-paths';
import { pythonCodeTriggers, namesScriptFolderModule as pyScriptModule } from '../server/src/extract/python/prefilter';
import { pythonDeployTrigger } from '../server/src/extract/python-deploy/index';
import { typeScriptTrigger, namesScriptFolderModule as tsScriptModule } from '../server/src/extract/typescript/prefilter';


const argv = process.argv.slice(2);
const withTests = argv.includes('--tests');
const listTrigger = argv.includes('--list') ? argv[argv.indexOf('--list') + 1] : undefined;

function trees(): string[] {
  return corpusTrees(argv);
}

/** The fact kinds a rule reads (imports, suppressions, problems and marks describe the file only). */
function factKinds(f: FileFacts): string[] {
  const kinds: string[] = [];
  const lists: [string, unknown[] | undefined][] = [
    ['reads', f.reads], ['dynamicReads', f.dynamicReads], ['deploys', f.deploys], ['builds', f.builds], ['secretValues', f.secretValues],
    ['accessorDefs', f.accessorDefs], ['envLoads', f.envLoads], ['runEnv', f.runEnv], ['dbUrls', f.dbUrls], ['driverUses', f.driverUses],
    ['enums', f.enums], ['accessors', f.accessors], ['comparisons', f.comparisons], ['gates', f.gates], ['optionalParams', f.optionalParams],
  ];
  for (const [k, v] of lists) if (v?.length) kinds.push(k);
  return kinds;
}

interface Row { admitted: number; sole: number; yielded: number; soleYielded: number; ms: number; soleMs: number; soleKinds: Map<string, number> }
const rows = new Map<string, Row>();
const row = (k: string): Row => {
  let r = rows.get(k);
  if (!r) rows.set(k, (r = { admitted: 0, sole: 0, yielded: 0, soleYielded: 0, ms: 0, soleMs: 0, soleKinds: new Map() }));
  return r;
};

async function tree(dir: string): Promise<void> {
  const ws = new Workspace(dir) as unknown as { loadConfig(): void; extractOptions(): ExtractOptions; config: { ignore: string[]; skipDirs?: string[]; include?: string[] } };
  ws.loadConfig();
  const options = ws.extractOptions();
  const list = await listFiles(dir, { ignore: ws.config.ignore, skipDirs: ws.config.skipDirs, include: ws.config.include }, []);
  const name = path.basename(dir);
  let parsed = 0;
  let code = 0;
  for (const rel of list) {
    if (!withTests && isTestPath(rel)) continue;
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, rel), 'utf8');
    } catch {
      continue;
    }
    const kind = classify(rel, text.slice(0, 200).split('\n', 1)[0]);
    if (kind !== 'python' && kind !== 'typescript') continue;
    code++;
    const triggers: string[] = [];
    if (kind === 'python') {
      triggers.push(...pythonCodeTriggers(text, options).map((t) => `py ${t}`));
      const d = pythonDeployTrigger(text);
      if (d) triggers.push(`py-deploy ${d}`);
      if (pyScriptModule(text)) triggers.push('py script-folder import');
    } else {
      const t = typeScriptTrigger(text, options);
      if (t) triggers.push(`ts ${t}`);
      else if (tsScriptModule(text)) triggers.push('ts script-folder import');
    }
    if (triggers.length === 0) continue;
    parsed++;
    const t0 = performance.now();
    const facts = extractFile(rel, text, options, kind);
    const ms = performance.now() - t0;
    const kinds = factKinds(facts);
    for (const t of triggers) {
      const r = row(t);
      r.admitted++;
      r.ms += ms;
      if (kinds.length) r.yielded++;
      if (triggers.length === 1) {
        r.sole++;
        r.soleMs += ms;
        if (kinds.length) r.soleYielded++;
        for (const k of kinds) r.soleKinds.set(k, (r.soleKinds.get(k) ?? 0) + 1);
        if (listTrigger && t === listTrigger) console.log(`${name}/${rel}\t${kinds.join(',') || '-'}\t${ms.toFixed(1)} ms`);
      }
    }
  }
  console.error(`${name}: ${code} code files${withTests ? '' : ' (tests left out)'}, ${parsed} parsed`);
}

async function main(): Promise<void> {
  await engineReady();
  for (const dir of trees()) await tree(dir);
  console.log('| trigger | admitted | yield facts | extract ms | sole | sole yield | sole ms | what the sole ones yield |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  for (const [k, r] of [...rows].sort((a, b) => b[1].ms - a[1].ms)) {
    const kinds = [...r.soleKinds].sort((a, b) => b[1] - a[1]).map(([x, n]) => `${x} ${n}`).join(', ');
    console.log(`| ${k} | ${r.admitted} | ${r.yielded} | ${r.ms.toFixed(0)} | ${r.sole} | ${r.soleYielded} | ${r.soleMs.toFixed(0)} | ${kinds} |`);
  }
}

void main();
