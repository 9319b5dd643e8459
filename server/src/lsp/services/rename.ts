/**
 * Rename an environment variable everywhere it is read or written (code, .env, YAML, shell,
 * Python deploy scripts). Refused when a name built at runtime could also be this variable.
 */
import { ErrorCodes, ResponseError, type Position, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { lineIndexOf, nameAt, occurrences, spanToRange, type FileContext } from './common';

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function refuse(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidRequest, message);
}

/** Why renaming `name` is unsafe, or undefined. */
export function renameHazard(ctx: FileContext, name: string): string | undefined {
  for (const [file, facts] of ctx.ws.model().files) {
    for (const d of facts.dynamicReads) {
      if (d.prefix && name.startsWith(d.prefix)) {
        const line = (lineIndexOf(ctx, file)?.position(d.span.start).line ?? 0) + 1;
        return `Cannot rename ${name}: ${file}:${line} builds a variable name at runtime from "${d.prefix}…", which could also read ${name}; rename by hand there.`;
      }
    }
  }
  return undefined;
}

export function prepareRename(ctx: FileContext, position: Position): { range: Range; placeholder: string } | null {
  const hit = nameAt(ctx, position.line, position.character);
  if (!hit) return null;
  const hazard = renameHazard(ctx, hit.name);
  if (hazard) throw refuse(hazard);
  return { range: spanToRange(lineIndexOf(ctx, ctx.rel), hit.span), placeholder: hit.name };
}

export function rename(ctx: FileContext, position: Position, newName: string): WorkspaceEdit | null {
  const hit = nameAt(ctx, position.line, position.character);
  if (!hit) return null;
  if (!VALID_NAME.test(newName)) throw refuse(`"${newName}" is not a valid environment variable name (letters, digits and _, not starting with a digit).`);
  const hazard = renameHazard(ctx, hit.name);
  if (hazard) throw refuse(hazard);
  if (newName !== hit.name) {
    const clash = renameHazard(ctx, newName);
    if (clash) throw refuse(clash.replace(`Cannot rename ${newName}`, `Cannot rename to ${newName}`));
  }
  const { reads, writes } = occurrences(ctx.ws.model(), hit.name);
  const changes: Record<string, TextEdit[]> = {};
  const add = (file: string, span: { start: number; end: number }) => {
    const uri = ctx.uriOf(file);
    (changes[uri] ??= []).push({ range: spanToRange(lineIndexOf(ctx, file), span), newText: newName });
  };
  for (const r of reads) add(r.file, r.read.nameSpan);
  for (const w of writes) add(w.file, w.write.nameSpan);
  return { changes };
}
