/**
 * Env-vars files a script writes itself from a here-document and then hands to gcloud:
 *
 *     cat > /tmp/env.yaml << EOF
 *     NODE_ENV: production
 *     GCS_BUCKET: ${PROJECT_ID}-storage
 *     EOF
 *     gcloud run services update api --env-vars-file /tmp/env.yaml
 *
 * The file never exists in the repository, but its text is right there: the deploy's variables
 * are the here-document's keys. `--env-vars-file` replaces every variable the service had (as
 * `--set-env-vars` does), so the entries form a `set` block of the deploy. A value that expands a
 * shell variable (an unquoted delimiter) or a workflow expression is set, to something not seen.
 */
import { parseDocument, isMap, isScalar, type Scalar } from 'yaml';
import type { DeployFact, EnvBlock, EnvWrite, Span } from '../core/facts';
import type { SyntaxNode } from '../parsers/tree-sitter';
import type { Script } from './shell-script';

/** A here-document written to a file: where, its body's text and offset, and whether the shell
 * expands variables in it (an unquoted delimiter). */
export interface HeredocFile {
  path: string;
  /** Where the writing statement ends: only commands after it read the file. */
  end: number;
  bodyStart: number;
  body: string;
  expands: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `cat > PATH << EOF … EOF` and `cat << 'EOF' > PATH … EOF` in the script (not `>>`, which adds
 * to a file written elsewhere). */
export function heredocFiles(statements: SyntaxNode[], script: Script): HeredocFile[] {
  const out: HeredocFile[] = [];
  for (const st of statements) {
    const body = st.childForFieldName('body');
    if (!body || body.type !== 'command') continue;
    const name = body.childForFieldName('name');
    if (!name || script.text.slice(name.startIndex, name.endIndex) !== 'cat' || body.namedChildren.length > 1) continue;
    const heredoc = st.namedChildren.find((c) => c?.type === 'heredoc_redirect');
    const redirects = [...st.namedChildren, ...(heredoc?.namedChildren ?? [])].filter((c): c is SyntaxNode => c?.type === 'file_redirect');
    const bodyNode = heredoc?.namedChildren.find((c) => c?.type === 'heredoc_body');
    const start = heredoc?.namedChildren.find((c) => c?.type === 'heredoc_start');
    if (!heredoc || !bodyNode || !start || redirects.length !== 1) continue;
    const redirect = redirects[0];
    if (script.text.slice(redirect.startIndex, redirect.endIndex).trimStart().startsWith('>>')) continue;
    const dest = redirect.namedChildren.find((c) => c?.type !== 'file_descriptor');
    if (!dest) continue;
    const w = script.word(dest);
    if (w.dynamic || !w.value) continue;
    const delimiter = script.text.slice(start.startIndex, start.endIndex);
    // In an indented script (a workflow's `run: |` block read in place) the body's first line
    // keeps its indentation outside the node: taken in, every line is indented alike and the
    // YAML reads as the shell's dedented text would.
    const lineStart = script.text.lastIndexOf('\n', bodyNode.startIndex - 1) + 1;
    const bodyStart = /^[ \t]*$/.test(script.text.slice(lineStart, bodyNode.startIndex)) ? lineStart : bodyNode.startIndex;
    // In an indented script the closing delimiter is indented too, which the shell (reading the
    // dedented text) ends the body at but the parser of the indented text does not: cut it here.
    let text = script.text.slice(bodyStart, bodyNode.endIndex);
    const word = delimiter.replace(/^['"\\]|['"]$/g, '');
    const last = text.replace(/\s+$/, '').lastIndexOf('\n');
    if (word && text.slice(last + 1).trim() === word) text = text.slice(0, last + 1);
    out.push({
      path: w.value,
      end: st.endIndex,
      bodyStart,
      body: text,
      expands: !/^['"\\]/.test(delimiter),
    });
  }
  return out;
}

/** The env block a here-document's YAML makes, or undefined when it is no flat map of variables. */
function heredocBlock(h: HeredocFile, reference: Span): EnvBlock | undefined {
  // Ranges are offsets in the body, which sits at `bodyStart` in the script.
  const doc = parseDocument(h.body);
  if (doc.errors.length || !isMap(doc.contents)) return undefined;
  const entries: EnvWrite[] = [];
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key)) return undefined;
    const key = pair.key as Scalar;
    const name = String(key.value);
    if (!ENV_NAME.test(name) || !key.range) return undefined;
    const nameSpan = { start: h.bodyStart + key.range[0], end: h.bodyStart + key.range[1] };
    const value = pair.value;
    if (value !== null && !isScalar(value)) return undefined;
    const vr = value?.range;
    const span = { start: nameSpan.start, end: vr ? h.bodyStart + vr[1] : nameSpan.end };
    const valueSpan = vr ? { start: h.bodyStart + vr[0], end: h.bodyStart + vr[1] } : { start: nameSpan.end, end: nameSpan.end };
    const text = value === null || value.value === null ? '' : String(value.value);
    const dynamic = text.includes('${{') || (h.expands && /\$[{A-Za-z_(]/.test(text));
    entries.push({ name, nameSpan, span, value: dynamic ? { kind: 'dynamic', text, span: valueSpan } : { kind: 'literal', value: text, span: valueSpan } });
  }
  if (!entries.length) return undefined;
  return { kind: 'env', mode: 'set', span: { start: h.bodyStart, end: h.bodyStart + h.body.length }, keySpan: { ...reference }, entries, fromFile: h.path };
}

/** Puts the entries of an env-vars file the script wrote before `at` into the deploy, in place of
 * the reference to that file. */
export function inlineHeredocEnvFiles(fact: DeployFact, at: number, files: HeredocFile[]): void {
  if (!files.length || !fact.envFiles.length) return;
  fact.envFiles = fact.envFiles.filter((ef) => {
    if (ef.value === undefined) return true;
    const written = files.filter((h) => h.path === ef.value && h.end <= at).pop();
    const block = written ? heredocBlock(written, ef.span) : undefined;
    if (!block) return true;
    fact.blocks.push(block);
    return false;
  });
}
