/**
 * Rule tests run on small in-memory workspaces: a map of path → text, analysed exactly as the
 * CLI would (same extractors, model and rules), and fixes applied as text edits so a test can
 * check the round trip: finding gone, file still parses, nothing else changed, idempotent.
 */
import { Workspace } from '../server/src/engine/workspace';
import { parseConfig } from '../server/src/engine/config';
import { applyEdits } from '../server/src/engine/apply-fixes';
import type { Finding } from '../server/src/core/findings';
import type { Fix } from '../server/src/core/edits';
import { initParsers } from '../server/src/parsers/tree-sitter';
import { readDeployedState } from '../server/src/extract/deployed-state';

export type Files = Record<string, string>;

/** Recorded deployed state (see core/deployed.ts): `*.json` are secret inventories, the rest
 * `gcloud … --format export` YAML. Given, it turns the drift rules on. */
export function deployedState(deployed: Files) {
  return readDeployedState(Object.entries(deployed).map(([source, text]) => ({ source, text, format: source.endsWith('.json') ? 'json' as const : 'yaml' as const })));
}

export async function analyze(files: Files, configYaml?: string, deployed?: Files): Promise<{ findings: Finding[]; ws: Workspace }> {
  await initParsers();
  const ws = new Workspace('/virtual/workspace');
  if (deployed) ws.setDeployed(deployedState(deployed));
  if (configYaml !== undefined) ws.config = parseConfig(configYaml, '.deploy-preflight.yaml').config;
  for (const [path, text] of Object.entries(files)) ws.setText(path, text);
  return { findings: ws.findings(), ws };
}

export async function findingsOf(rule: string, files: Files, configYaml?: string): Promise<Finding[]> {
  return (await analyze(files, configYaml)).findings.filter((f) => f.rule === rule);
}

/** The variable each env-unset-for-deploy finding says a deploy lacks (`is deployed without X`,
 * `may lack X`; a finding naming several, each of its related reads), sorted: what module-graph
 * and tooling tests compare. */
export async function lackingNames(files: Files): Promise<string[]> {
  return (await findingsOf('env-unset-for-deploy', files)).flatMap((f) => f.messageId === 'deployWithoutKeepsMany'
    ? f.related.map((r) => /^(\w+) /.exec(r.message)?.[1] ?? r.message)
    : [/(?:without|lack) (\w+)/.exec(f.message)?.[1] ?? f.message]).sort();
}

/** Applies one fix's edits to the files; returns the new file map. */
export function applyFix(files: Files, fix: Fix): Files {
  const out: Files = { ...files };
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    if (!(file in out)) throw new Error(`fix edits unknown file ${file}`);
    out[file] = applyEdits(out[file], edits).text;
  }
  return out;
}

/** Files whose text differs between two maps. */
export function changedFiles(before: Files, after: Files): string[] {
  return Object.keys(after).filter((f) => before[f] !== after[f]);
}

/** `file:line` (1-based) of a finding, for readable assertions. */
export function where(f: Finding): string {
  return `${f.file}:${f.range.start.line + 1}`;
}
