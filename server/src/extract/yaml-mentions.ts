/**
 * YAML files a command names: `gcloud run services replace service.yaml`, `envsubst < cloudrun.yaml`,
 * `sed … "${ROOT}/deploy/service.yaml" > out.yaml`, a Cloud Build step's `args: [… 'cloud-run.yaml']`.
 * The model decides from them which Cloud Run manifests something in the workspace applies
 * (model/deploy-roles.ts): a manifest nothing names and whose own comments say nothing of how it
 * is applied is a file someone may apply by hand, or never.
 *
 * Only a word's literal tail is kept (`${ROOT}/deploy/service.yaml` → `deploy/service.yaml`): the
 * model matches it against the end of a manifest's path.
 */
import type { FileFacts } from '../core/facts';

const YAML_NAME = /\.ya?ml$/i;

/** The path a command word names, if it names a YAML file: quotes, a leading variable, a flag's
 * `--file=` and `./` taken off. */
export function yamlPathOf(word: string): string | undefined {
  let w = word.trim().replace(/^['"]|['"]$/g, '');
  const eq = w.lastIndexOf('=');
  if (eq >= 0 && w.startsWith('-')) w = w.slice(eq + 1);
  // The literal tail after the last expansion (`${DIR}/x.yaml`, `$DIR/x.yaml`, `$(pwd)/x.yaml`).
  const cut = Math.max(w.lastIndexOf('}'), w.lastIndexOf(')'));
  if (cut >= 0) w = w.slice(cut + 1);
  const dollar = w.lastIndexOf('$');
  if (dollar >= 0) {
    const slash = w.indexOf('/', dollar);
    if (slash < 0) return undefined;
    w = w.slice(slash);
  }
  w = w.replace(/^(\.\/|\/)+/, '');
  if (!YAML_NAME.test(w) || /[\s*?'"<>|;&]/.test(w) || w.length > 300) return undefined;
  return w;
}

export function addYamlMentions(facts: FileFacts, words: Iterable<string>): void {
  for (const word of words) {
    const path = yamlPathOf(word);
    if (!path) continue;
    const into = (facts.yamlMentions ??= []);
    if (!into.includes(path)) into.push(path);
  }
}

/** Whether `text` may name a YAML file (the shell extractor's prefilter). */
export function mayNameYaml(text: string): boolean {
  return text.includes('.yaml') || text.includes('.yml');
}

const REPLACE = 'run services replace';

/**
 * The manifests a document tells people to apply: `gcloud run services replace
 * deploy/service.yaml --region …` in a README's instructions. Following the document deploys the
 * file as a script running the command would, so it counts as applied (a document that only names
 * the file is a mention: model/variant-scripts.ts).
 */
export function addDocumentedApplies(facts: FileFacts, text: string): void {
  for (let at = text.indexOf(REPLACE); at >= 0; at = text.indexOf(REPLACE, at + REPLACE.length)) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const words = text.slice(at + REPLACE.length, end).split(/\s+/).filter((w) => w && w !== '\\');
    // The manifest is the command's one YAML argument, wherever the flags put it.
    const manifest = words.map((w) => w.replace(/`/g, '')).find((w) => yamlPathOf(w) !== undefined);
    if (manifest) addYamlMentions(facts, [manifest]);
  }
}

