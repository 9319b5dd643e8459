/**
 * Fuzzing inputs for every file kind: seeds (the example workspace's files and the snippets the
 * extractor tests use) and deterministic mutators (byte flips, truncation, line edits, unbalanced
 * quotes/brackets, huge lines, deep nesting, NUL bytes, invalid UTF-8, BOMs, CR/CRLF mixes,
 * interesting tokens, splices, random bytes). Byte-level mutations are decoded the way
 * engine/scan.ts decodes files read from disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ts } from 'ts-morph';
import { decode } from '../../server/src/engine/scan';

export const REPO = path.resolve(__dirname, '..', '..');
export const EXAMPLE = path.join(REPO, 'examples', 'staging-audit');

/** A small, fast, seedable PRNG (mulberry32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The fuzzed kinds, each with the example file it replaces and the extractor test it takes snippets from. */
export interface KindSpec {
  kind: string;
  /** Workspace-relative path in the example the mutated text replaces. */
  file: string;
  /** Test files under test/extract whose string literals are seeds. */
  snippetsFrom: string[];
  /** Keeps a snippet only if it looks like this kind (test files mix kinds). */
  accept?: (s: string) => boolean;
  /** Additional example files used as seeds. */
  moreSeeds?: string[];
  /** Nesting shapes that make sense for this kind. */
  nest: 'brackets' | 'yaml' | 'python' | 'shell';
}

const yamlish = (s: string) => /^\s*[\w$-][\w$.-]*\s*:/m.test(s) || /^\s*- /m.test(s);

export const KINDS: KindSpec[] = [
  { kind: 'dotenv', file: 'services/backend/.env.staging', snippetsFrom: ['dotenv.test.ts'], moreSeeds: ['services/auth/.env.production', 'services/backend/.env.development'], nest: 'shell' },
  { kind: 'shell', file: 'deploy/deploy-auth-staging.sh', snippetsFrom: ['shell.test.ts'], nest: 'shell' },
  { kind: 'python-code', file: 'services/backend/app/config/environment.py', snippetsFrom: ['python-code.test.ts'], moreSeeds: ['services/backend/app/config/secrets.py', 'services/backend/app/resilience/circuit_breaker.py', 'services/backend/app/db.py', 'services/worker/worker/main.py'], nest: 'python' },
  { kind: 'python-deploy', file: 'scripts/deploy_to_gcp.py', snippetsFrom: ['python-deploy.test.ts'], nest: 'python' },
  { kind: 'typescript', file: 'services/auth/src/config.ts', snippetsFrom: ['typescript.test.ts'], moreSeeds: ['services/auth/src/breaker.ts', 'services/auth/src/db.ts', 'services/auth/src/health.ts', 'services/auth/src/index.ts'], nest: 'brackets' },
  { kind: 'yaml-knative', file: 'deploy/backend-production.yaml', snippetsFrom: ['yaml-cloud-run.test.ts'], accept: yamlish, nest: 'yaml' },
  { kind: 'yaml-cloudbuild', file: 'cloudbuild-production.yaml', snippetsFrom: ['yaml-cloudbuild.test.ts'], accept: yamlish, nest: 'yaml' },
  { kind: 'yaml-github-actions', file: '.github/workflows/deploy-worker.yml', snippetsFrom: ['yaml-github-actions.test.ts'], accept: yamlish, nest: 'yaml' },
  { kind: 'yaml-compose', file: 'docker-compose.yml', snippetsFrom: ['yaml-compose.test.ts', 'yaml-env-vars-file.test.ts'], accept: yamlish, nest: 'yaml' },
];

/** Every file of the example workspace the scanner would read, as text. */
export function exampleFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else if (e.isFile() && !/\.md$/.test(e.name)) out[r] = fs.readFileSync(path.join(dir, e.name), 'utf8');
    }
  };
  walk(EXAMPLE, '');
  return out;
}

/** String literals (and substitution-free templates) of at least 16 characters in a test file. */
export function snippetsOf(testFile: string): string[] {
  const text = fs.readFileSync(testFile, 'utf8');
  const sf = ts.createSourceFile(testFile, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && n.text.length >= 16) out.push(n.text);
    else if (ts.isTemplateExpression(n)) {
      // Keep the literal parts, joined by a plausible stand-in for the substitutions.
      const parts = [n.head.text, ...n.templateSpans.map((s) => s.literal.text)];
      const joined = parts.join('VALUE');
      if (joined.length >= 16) out.push(joined);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return [...new Set(out)];
}

export function seedsFor(spec: KindSpec, example: Record<string, string>): string[] {
  const seeds = [example[spec.file], ...(spec.moreSeeds ?? []).map((f) => example[f])].filter((s): s is string => typeof s === 'string');
  for (const t of spec.snippetsFrom) {
    const p = path.join(REPO, 'test', 'extract', t);
    if (!fs.existsSync(p)) continue;
    for (const s of snippetsOf(p)) if (!spec.accept || spec.accept(s)) seeds.push(s);
  }
  return seeds;
}

const TOKENS: Record<KindSpec['nest'], string[]> = {
  shell: [
    'gcloud run deploy ', 'gcloud run services update x ', 'gcloud run jobs deploy ', '--set-env-vars=', '--update-env-vars ',
    '--set-secrets=A=s:latest', '--env-vars-file=', '--project=', '"^:^A=1,2:B=3"', '^##^', ' \\\n', '$(', '${', '${X:-', '`', '<<EOF\n',
    'export ', 'SERVICE_SECRET=', '#', '"', "'", '\\', '=', ',', 'DATABASE_URL=postgresql+asyncpg://u:p@/db?host=/cloudsql/p:r:i&sslmode=require',
    '# deploy-preflight-disable-next-line env-unset-for-deploy\n', '# deploy-preflight-disable ', '--source ', '--image=',
  ],
  python: [
    'os.environ["', 'os.environ.get("X", ', 'os.getenv(', 'env.get("', 'self._env.get("', 'get_env().get(', '"--set-env-vars=', '"gcloud", "run", "deploy", ',
    'environment_vars={', '}', 'subprocess.run([', '])', 'f"', '{', '"""', "'''", 'class S(Enum):\n    A = "a"\n', '@property\ndef state(self) -> CircuitState:\n',
    'if os.getenv("GCP_PROJECT_ID"):\n', 'lambda: ', '\\\n', '#', 'postgresql+asyncpg://u:p@/db?host=/cloudsql/p:r:i&sslmode=require', '"', "'", ':\n', '\t',
    '# deploy-preflight-disable-next-line ', 'async def ', 'match x:\n    case ', ' = ', 'b"\\xff"', 'r"\\',
  ],
  brackets: [
    'process.env.', 'process.env["', 'import.meta.env.', 'const { A = "x", ...rest } = process.env;', '?? "d"', '||', 'enum E { A = "a" }', 'get state(): CircuitState {',
    '`${', '}`', '/*', '*/', '//', '"', "'", '`', '/re/g', '<div>', '</', '=>', '(', ')', '{', '}', '[', ']', ';', '\\u{', '#!', '@decorator ',
    'postgresql+asyncpg://u:p@/db?host=/cloudsql/p:r:i&sslmode=require', '// deploy-preflight-disable-next-line ', 'if (process.env.GCP_PROJECT_ID) {',
  ],
  yaml: [
    '- name: X\n  value: "1"\n', 'valueFrom:\n  secretKeyRef:\n    name: s\n    key: latest\n', 'env:\n', 'env_vars: |\n  A=1\n', 'secrets: |\n  B=s:latest\n', 'args: [', ']',
    "- 'gcloud'\n- 'run'\n- 'deploy'\n", '--set-env-vars=', 'run: |\n  gcloud run deploy x --set-env-vars=A=1\n', '&a ', '*a', '<<: *a\n', '!!binary ', '!!js/function ', '? ', '%YAML 1.2\n---\n',
    '---\n', '...\n', '{', '}', '[', ']', '"', "'", '|', '>-', '#', ': ', '- ', '\t', 'uses: google-github-actions/deploy-cloudrun@v2\n', 'environment:\n  - A=1\n', 'env_file: .env\n',
    'kind: Service\napiVersion: serving.knative.dev/v1\n', 'steps:\n', '${{ secrets.X }}', '$PROJECT_ID', '${_VAR}',
  ],
};

/** Sizes of inserted huge lines; the bounded run in `npm test` keeps them smaller. */
let hugeSizes = [10_000, 100_000, 400_000];
export function setHugeSizes(sizes: number[]): void {
  hugeSizes = sizes;
}

const INVALID_UTF8: number[][] = [[0xff], [0xfe], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0x80], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];

export type Mutator = (text: string, rng: Rng, spec: KindSpec, pool: string[]) => string;

function bytesToText(buf: Buffer): string {
  const r = decode(buf);
  // A binary-looking file is skipped on disk, but an editor can still send it: decode anyway.
  return 'text' in r ? r.text : new TextDecoder('utf-8', { fatal: false }).decode(buf);
}

const pos = (text: string, rng: Rng) => rng.int(text.length + 1);

function lineEdit(text: string, rng: Rng, op: 'delete' | 'dup' | 'swap'): string {
  const lines = text.split('\n');
  if (lines.length === 0) return text;
  const i = rng.int(lines.length);
  const n = rng.range(1, Math.min(4, lines.length - i));
  if (op === 'delete') lines.splice(i, n);
  else if (op === 'dup') lines.splice(i, 0, ...lines.slice(i, i + n));
  else {
    const j = rng.int(lines.length);
    [lines[i], lines[j]] = [lines[j], lines[i]];
  }
  return lines.join('\n');
}

function nesting(spec: KindSpec, rng: Rng): string {
  const depth = rng.pick([50, 200, 1000, 5000, 20000]);
  switch (spec.nest) {
    case 'yaml': {
      const d = Math.min(depth, 400);
      if (rng.chance(0.5)) return '\n' + Array.from({ length: d }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + '\n';
      return rng.chance(0.5) ? 'x: ' + '['.repeat(depth) + ']'.repeat(rng.chance(0.5) ? depth : 0) + '\n' : 'x: ' + '{a: '.repeat(depth) + '\n';
    }
    case 'python': {
      if (rng.chance(0.4)) {
        const d = Math.min(depth, 100); // CPython's own limit on indentation is 100
        return '\n' + Array.from({ length: d }, (_, i) => '    '.repeat(i) + 'if x:').join('\n') + '\n' + '    '.repeat(d) + 'os.environ["DEEP"]\n';
      }
      return 'x = ' + rng.pick(['(', '[', '{', 'f(', 'not ', '-', 'lambda: ']).repeat(depth) + '\n';
    }
    case 'shell':
      return rng.chance(0.5) ? '$(' .repeat(depth) + 'echo' + ')'.repeat(depth) : 'X=' + '"$('.repeat(Math.min(depth, 2000)) + '\n';
    default:
      return rng.pick(['(', '[', '{', 'f(', '!', '-', '`${', 'a?b:']).repeat(depth) + (rng.chance(0.5) ? 'process.env.DEEP' : '');
  }
}

export const MUTATORS: Record<string, Mutator> = {
  byteFlip: (text, rng) => {
    const buf = Buffer.from(text, 'utf8');
    if (buf.length === 0) return text;
    for (let k = rng.range(1, 8); k > 0; k--) buf[rng.int(buf.length)] ^= 1 << rng.int(8);
    return bytesToText(buf);
  },
  truncateBytes: (text, rng) => bytesToText(Buffer.from(text, 'utf8').subarray(0, rng.int(Buffer.byteLength(text) + 1))),
  truncate: (text, rng) => text.slice(0, pos(text, rng)),
  deleteLines: (text, rng) => lineEdit(text, rng, 'delete'),
  duplicateLines: (text, rng) => lineEdit(text, rng, 'dup'),
  swapLines: (text, rng) => lineEdit(text, rng, 'swap'),
  unbalanced: (text, rng) => {
    let out = text;
    for (let k = rng.range(1, 5); k > 0; k--) {
      const ch = rng.pick(['"', "'", '`', '(', ')', '[', ']', '{', '}', '"""', '\\', '${', '$(', '#', ':']);
      if (rng.chance(0.3)) {
        const i = out.indexOf(ch.slice(0, 1), pos(out, rng));
        if (i >= 0) out = out.slice(0, i) + out.slice(i + 1);
      } else {
        const i = pos(out, rng);
        out = out.slice(0, i) + ch + out.slice(i);
      }
    }
    return out;
  },
  hugeLine: (text, rng) => {
    const n = rng.pick(hugeSizes);
    const unit = rng.pick(['A', 'x=1,', '"', '\\', ' ', '${A}', 'é', '😀', 'process.env.A;', '- a\n'.replace('\n', ' ')]);
    const i = pos(text, rng);
    return text.slice(0, i) + unit.repeat(Math.ceil(n / unit.length)) + text.slice(i);
  },
  deepNesting: (text, rng, spec) => {
    const i = rng.chance(0.5) ? text.length : text.lastIndexOf('\n', pos(text, rng)) + 1;
    return text.slice(0, i) + nesting(spec, rng) + text.slice(i);
  },
  nulBytes: (text, rng) => {
    let out = text;
    for (let k = rng.range(1, 4); k > 0; k--) {
      const i = pos(out, rng);
      out = out.slice(0, i) + '\0'.repeat(rng.range(1, 3)) + out.slice(i);
    }
    return out;
  },
  invalidUtf8: (text, rng) => {
    let buf = Buffer.from(text, 'utf8');
    for (let k = rng.range(1, 4); k > 0; k--) {
      const i = rng.int(buf.length + 1);
      buf = Buffer.concat([buf.subarray(0, i), Buffer.from(rng.pick(INVALID_UTF8)), buf.subarray(i)]);
    }
    return bytesToText(buf);
  },
  bom: (text, rng) => {
    if (rng.chance(0.5)) return bytesToText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const i = pos(text, rng);
    return (rng.chance(0.5) ? '\ufeff' : '') + text.slice(0, i) + '\ufeff' + text.slice(i);
  },
  lineEndings: (text, rng) => {
    const mode = rng.int(3);
    if (mode === 0) return text.replace(/\n/g, '\r\n');
    if (mode === 1) return text.replace(/\n/g, '\r');
    return text.replace(/\n/g, () => rng.pick(['\n', '\r\n', '\r', '\n\r']));
  },
  token: (text, rng, spec) => {
    let out = text;
    for (let k = rng.range(1, 4); k > 0; k--) {
      const i = rng.chance(0.5) ? out.lastIndexOf('\n', pos(out, rng)) + 1 : pos(out, rng);
      out = out.slice(0, i) + rng.pick(TOKENS[spec.nest]) + out.slice(i);
    }
    return out;
  },
  splice: (text, rng, _spec, pool) => {
    const other = rng.pick(pool);
    const a = pos(other, rng);
    const chunk = other.slice(a, a + rng.range(1, 400));
    const i = pos(text, rng);
    return text.slice(0, i) + chunk + text.slice(i + (rng.chance(0.5) ? rng.int(200) : 0));
  },
  randomBytes: (_text, rng) => {
    const buf = Buffer.alloc(rng.range(0, 4096));
    const printable = rng.chance(0.5);
    for (let i = 0; i < buf.length; i++) buf[i] = printable ? rng.pick([9, 10, 13, ...Array.from({ length: 95 }, (_, c) => 32 + c)]) : rng.int(256);
    return bytesToText(buf);
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);
/** Expensive mutators (inputs of hundreds of KB) are drawn less often. */
const WEIGHTS: Record<string, number> = { hugeLine: 0.4, deepNesting: 0.6, randomBytes: 0.5 };

function pickMutator(rng: Rng): string {
  const total = MUTATOR_NAMES.reduce((s, m) => s + (WEIGHTS[m] ?? 1), 0);
  let r = rng.next() * total;
  for (const m of MUTATOR_NAMES) {
    r -= WEIGHTS[m] ?? 1;
    if (r <= 0) return m;
  }
  return MUTATOR_NAMES[MUTATOR_NAMES.length - 1];
}

/** One fuzz input: a seed with 1–3 stacked mutations. Returns the text and the mutators used. */
export function mutate(seeds: string[], rng: Rng, spec: KindSpec, pool: string[]): { text: string; ops: string[] } {
  let text = rng.pick(seeds);
  const ops: string[] = [];
  for (let k = rng.range(1, 3); k > 0; k--) {
    const m = pickMutator(rng);
    ops.push(m);
    text = MUTATORS[m](text, rng, spec, pool);
    // Keep stacked huge inputs bounded (a few MB at most): the size cap is what limits disk files.
    if (text.length > 2_000_000) text = text.slice(0, 2_000_000);
  }
  return { text, ops };
}
