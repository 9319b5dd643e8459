/**
 * Completion of variable names in .env files and inside deploy env blocks: the names the linked
 * service's code reads that the deploy target (or the file) does not set yet.
 */
import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver';
import type { DeployTarget, ReadRef } from '../../model/workspace-model';
import type { Service } from '../../model/services';
import { lineOf, offsetAt, type FileContext } from './common';

function items(ctx: FileContext, reads: ReadRef[], isSet: (name: string) => boolean, dotenv: boolean): CompletionItem[] {
  const byName = new Map<string, ReadRef[]>();
  for (const r of reads) {
    if (r.isTest || r.read.devOnly || isSet(r.read.name)) continue;
    byName.set(r.read.name, [...(byName.get(r.read.name) ?? []), r]);
  }
  return [...byName].map(([name, refs]) => {
    const first = refs.find((r) => !r.read.hasDefault) ?? refs[0];
    const required = refs.some((r) => !r.read.hasDefault);
    return {
      label: name,
      kind: CompletionItemKind.Variable,
      detail: `read by ${first.file}:${lineOf(ctx, first.file, first.read.nameSpan.start)}`,
      documentation: required ? 'Read without a default: required.' : 'Read with a default.',
      sortText: `${required ? '0' : '1'}${name}`,
      insertText: dotenv ? `${name}=` : name,
    };
  });
}

export function completion(ctx: FileContext, position: Position): CompletionItem[] {
  const model = ctx.ws.model();
  const facts = model.files.get(ctx.rel);
  if (!facts) return [];
  const text = ctx.textOf(ctx.rel) ?? '';
  const readsOf = (s: Service | undefined) => (s ? model.readsByService.get(s.name) ?? [] : []);
  if (facts.kind === 'dotenv') {
    // Only at the key position of a line.
    const lines = text.split(/\r?\n/);
    const before = (lines[position.line] ?? '').slice(0, position.character);
    if (!/^\s*(export\s+)?[A-Za-z0-9_]*$/.test(before)) return [];
    const own = new Set((facts.envFile?.entries ?? []).map((e) => e.name));
    const targets = model.targets.filter((t) => t.envFiles.some((f) => f.file === ctx.rel));
    if (targets.length) {
      const out = new Map<string, CompletionItem>();
      for (const t of targets) for (const i of items(ctx, readsOf(t.service), (n) => own.has(n) || t.writes.has(n), true)) out.set(i.label, i);
      return [...out.values()];
    }
    return items(ctx, readsOf(model.services.ownerOf(ctx.rel)), (n) => own.has(n), true);
  }
  const offset = offsetAt(ctx, position.line, position.character);
  if (offset === undefined) return [];
  for (const deploy of facts.deploys) {
    const block = deploy.blocks.find((b) => b.span.start <= offset && offset <= b.span.end);
    if (!block) continue;
    const target: DeployTarget | undefined = model.targets.find((t) => t.deploys.some((d) => d.file === ctx.rel && d.deploy.span.start === deploy.span.start));
    const service = target?.service;
    const setHere = new Set(deploy.blocks.flatMap((b) => b.entries.map((e) => e.name)));
    return items(ctx, readsOf(service), (n) => setHere.has(n) || !!target?.writes.has(n), false);
  }
  return [];
}
