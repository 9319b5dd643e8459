/** Go to definition: from a read to where its service's deploy targets set it; from a write to its reads. */
import type { Location, Position } from 'vscode-languageserver';
import { lineIndexOf, nameAt, occurrences, spanToRange, type FileContext } from './common';
import type { Span } from '../../core/facts';

export function definition(ctx: FileContext, position: Position): Location[] | null {
  const hit = nameAt(ctx, position.line, position.character);
  if (!hit) return null;
  const model = ctx.ws.model();
  const loc = (file: string, span: Span): Location => ({ uri: ctx.uriOf(file), range: spanToRange(lineIndexOf(ctx, file), span) });
  if (hit.kind === 'read') {
    const service = hit.ref.service?.name;
    const out: Location[] = [];
    const seen = new Set<string>();
    for (const t of model.targets) {
      if (service && t.service?.name !== service) continue;
      for (const w of t.writes.get(hit.name) ?? []) {
        const k = `${w.file}\0${w.write.nameSpan.start}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(loc(w.file, w.write.nameSpan));
      }
    }
    if (out.length === 0) {
      // No target of this service sets it: any write of the name is the best answer.
      for (const w of occurrences(model, hit.name).writes) out.push(loc(w.file, w.write.nameSpan));
    }
    return out;
  }
  const service = hit.ref?.target?.service?.name ?? hit.ref?.serviceName;
  const reads = model.reads.filter((r) => r.read.name === hit.name);
  const own = service ? reads.filter((r) => r.service?.name === service) : [];
  return (own.length ? own : reads).map((r) => loc(r.file, r.read.nameSpan));
}
