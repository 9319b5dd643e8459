/**
 * Image builds run from Python: argument lists (`["docker", "build", "-t", tag, "-f", path, "."]`,
 * `[GCLOUD, "builds", "submit", "--tag", tag]`, grown like a deploy command) and shell strings
 * (`f"docker build -t {tag} ."` for `os.system` / `shell=True`). They are read by the shared
 * interpreter (build-args.ts), so a deploy of `--image TAG` elsewhere can be traced to the
 * Dockerfile and the code it ships. Names and `self.x` are followed to their literal.
 */
import type { BuildFact } from '../../core/facts';
import { commandSites } from './command-sites';
import { interpretBuild } from '../build-args';
import { isGcloudWord, type Word } from '../gcloud-args';
import { enrich, onlyShown } from './commands';
import type { DeployContext, Node } from './context';
import { growList } from './growth';
import { streamOf } from './strings';
import { shellSplit, wordOf } from './words';

/** A `"build"`/`"builds"` list element, or a string naming docker, podman or `builds submit`. */
const BUILD_STRINGS = /^["'](build|builds|buildx)["']$|docker|podman|builds submit/;
const BUILD_WORDS = ['build', 'docker', 'podman'];

const isBuilder = (w: Word): boolean => isGcloudWord(w) || /(^|\/)(docker|podman)$/.test(w.value);

/** Every image build the script runs. */
export function findBuilds(cx: DeployContext): BuildFact[] {
  const out: BuildFact[] = [];
  for (const site of commandSites(cx, BUILD_WORDS, BUILD_STRINGS)) {
    const node = site.node;
    if (site.kind === 'list') {
      const nodes = growList(cx, node).items.map((i) => i.node);
      const b = readBuild(cx, nodes.map((n) => wordOf(n, cx.text)), nodes);
      if (b) out.push(b);
      continue;
    }
    // A command line among other data (`("docker build", "docker buildx build")`) is text, not a run.
    if (onlyShown(node) || /^(tuple|set|dictionary|pair|list)$/.test(node.parent?.type ?? '')) continue;
    const st = streamOf(node, cx.text);
    if (!st) continue;
    for (const cmd of shellSplit(st)) {
      const b = readBuild(cx, cmd, cmd.map(() => node));
      if (b) out.push(b);
    }
  }
  return out;
}

function readBuild(cx: DeployContext, words: Word[], nodes: Node[]): BuildFact | undefined {
  const start = words.findIndex(isBuilder);
  const b = start >= 0 ? interpretBuild(words, start, 'python') : undefined;
  // Without an image or a Dockerfile a build ties nothing to anything.
  if (!b || (!b.image && !b.dockerfile)) return undefined;
  // `-t image_tag`, `-f self.dockerfile`: the literal behind the name, when there is one.
  if (b.image) b.image = enrich(cx, b.image, words, nodes);
  if (b.dockerfile) b.dockerfile = enrich(cx, b.dockerfile, words, nodes);
  if (b.context) b.context = enrich(cx, b.context, words, nodes);
  return b;
}
