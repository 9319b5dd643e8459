/**
 * Deploy commands gcloud refuses as written (`DeployFact.rejected`): the model keeps them out of
 * every environment (they deploy nothing); this says what to tell the user and how to mend a list
 * that holds its own delimiter (`ORIGINS=https://a.com,https://b.com` in `--set-env-vars`).
 */
import type { FileEdit, Fix } from '../../core/edits';
import type { EnvBlock, ListSplit, Span } from '../../core/facts';
import type { DeployRef } from '../../model/workspace-model';
import { isSecretLike, looksLikeSecretValue } from '../../knowledge/secrets';
import { inactiveFolder } from '../../knowledge/inactive-paths';

/** Delimiters a rewritten list may use: none is special mid-word in a shell, YAML or a Makefile.
 * `@` is gcloud's own example; a list with values filled in at run time (an address, a URL with
 * credentials) gets `~` first, which such values hold least. */
const DELIMITERS = ['@', '~', '+', '%'];
const DELIMITERS_UNSEEN = ['~', '%', '+', '@'];
/** An item shaped like a name alone (`DEBUG`): a value forgotten, not a value split in two. */
const BARE_NAME = /^[A-Z_][A-Z0-9_]*$/;
const SHOWN = 40;

export interface Refusal {
  ref: DeployRef;
  /** The block whose list gcloud splits, for `split`. */
  block?: EnvBlock;
  split?: ListSplit;
}

/** The deploys gcloud refuses, outside documentation and archives (which run nothing anyway). */
export function refusedDeploys(notDeployed: readonly DeployRef[]): Refusal[] {
  const out: Refusal[] = [];
  for (const ref of notDeployed) {
    const r = ref.deploy.rejected;
    if (!r || inactiveFolder(ref.file)) continue;
    const block = r.why === 'split' ? ref.deploy.blocks.find((b) => b.split && b.keySpan && b.split.refused[0]?.span.start === r.at.start) : undefined;
    // A deploy whose blocks were rewritten (a reusable workflow's caller filling its list in)
    // no longer holds the list gcloud refuses: nothing to show.
    if (r.why === 'split' && !block) continue;
    out.push({ ref, block, split: block?.split });
  }
  return out;
}

/** How a refused item is named in a message: its text when it can be no secret, else whose value it is part of. */
export function shownItem(item: ListSplit['refused'][number]): string {
  const secret = looksLikeSecretValue(item.text) || (item.after !== undefined && isSecretLike(item.after));
  if (secret) return item.after ? `a part of ${item.after}'s value` : 'an item';
  return JSON.stringify(item.text.length > SHOWN ? `${item.text.slice(0, SHOWN - 1)}…` : item.text);
}

/** The entry whose value a refused item most likely continues: the last one of that name before it. */
export function continuedEntry(block: EnvBlock, item: ListSplit['refused'][number]): Span | undefined {
  if (!item.after) return undefined;
  const before = block.entries.filter((e) => e.name === item.after && e.span.end <= item.span.start);
  return before[before.length - 1]?.nameSpan;
}

/**
 * Names another delimiter for the list (`^@^A=1@ORIGINS=https://a.com,https://b.com`), so the
 * refused items stay in the values they split: for variables only (a secret reference holds no
 * delimiter), when every refused item continues an entry and is not a bare name, and the list's
 * spans are exact.
 */
export function delimiterFix(file: string, block: EnvBlock, split: ListSplit): Fix | undefined {
  if (block.kind !== 'env' || !split.exact) return undefined;
  if (!split.refused.every((r) => r.after !== undefined && !BARE_NAME.test(r.text))) return undefined;
  const d = (split.unseen ? DELIMITERS_UNSEEN : DELIMITERS).find((c) => !split.text.includes(c));
  if (!d) return undefined;
  const edits: FileEdit[] = [
    { file, span: split.prefix, newText: `^${d}^` },
    ...split.separators.map((span) => ({ file, span, newText: d })),
  ];
  return {
    title: `Split the list at "${d}" instead (^${d}^), which no value holds`,
    edits,
    // Which values the items belong to is read from the order: a person confirms it.
    safe: false,
    preferred: true,
  };
}
