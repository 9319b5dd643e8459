/**
 * The walk's `.gitignore` matcher (engine/gitignore.ts) answers as the `ignore` package does: on
 * a battery of real-shaped `.gitignore` files (Python's and Node's usual templates, a monorepo's
 * anchored paths, negations, directory-only patterns, bracket classes, `?`, globstars), for every
 * path of a generated tree whose parent folders are not ignored (the only paths the walk asks
 * about). Rules outside the compiled subset go to `ignore` itself; the listing of a tree with
 * nested `.gitignore` files is the one a walk with `ignore` gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ignore from 'ignore';
import { compileIgnore } from '../../server/src/engine/gitignore';
import { listFiles } from '../../server/src/engine/scan';
import { classify } from '../../server/src/extract/classify';

const PYTHON = `# Byte-compiled
__pycache__/
*.py[cod]
*$py.class
*.so
.Python
build/
develop-eggs/
dist/
downloads/
eggs/
.eggs/
lib/
lib64/
parts/
sdist/
var/
wheels/
*.egg-info/
.installed.cfg
*.egg
MANIFEST
*.manifest
*.spec
pip-log.txt
htmlcov/
.tox/
.nox/
.coverage
.coverage.*
.cache
nosetests.xml
coverage.xml
*.cover
.hypothesis/
.pytest_cache/
*.mo
*.pot
*.log
local_settings.py
db.sqlite3
instance/
.webassets-cache
.scrapy
docs/_build/
target/
.ipynb_checkpoints
.python-version
celerybeat-schedule
*.sage.py
.env
.venv
env/
venv/
ENV/
env.bak/
venv.bak/
.spyderproject
.ropeproject
/site
.mypy_cache/
.dmypy.json
dmypy.json
.pyre/
`;

const NODE = `# dependencies
/node_modules
/.pnp
.pnp.*
.yarn/*
!.yarn/patches
!.yarn/plugins
!.yarn/releases
!.yarn/versions

# testing
/coverage

# next.js
/.next/
/out/

# production
/build

# misc
.DS_Store
*.pem

# debug
npm-debug.log*
yarn-debug.log*
yarn-error.log*

# env files
.env*
!.env.example

# typescript
*.tsbuildinfo
next-env.d.ts
`;

/** A monorepo's root file: anchored paths, paths with inner slashes, several wildcards. */
const MONOREPO = `__pycache__/
env/
venv/
ENV/
.cache
.coverage*
node_modules/
.env
.env.local
.env.staging
*-sa-key.json
gcp-*.json
*service-account*.json
*credentials*.json
.vscode/
reports/
*.log
tmp/
*_old.*
*_backup.*
*.bak
*~
*.sw?
*_copy.*
/.venv
/venv_test
/frontend/.jest-cache
/terraform/staging/.terraform
terraform/staging/shared/.terraform/providers/registry.terraform.io/hashicorp/google/5.45.2/windows_amd64/terraform-provider-google_v5.45.2_x5.exe
.service_discovery/frontend.json
frontend/cypress/downloads/downloads.htm
/terraform-gcp/github-runner/.terraform/providers
*.tfstate
terraform-dev-postgres/.terraform/
terraform-dev-postgres/terraform.tfstate*
/app/app/data/generated/content_corpuses
...AAA launch CLAUDE WINDOWS.BAT
config/netra-staging-7a1059b7cf26.json
test_reports/
`;

/** Negations re-including what an earlier line excluded, and the other way round. */
const NEGATIONS = `*.json
!package.json
!/config/*.json
config/secret.json
build/
!build/
logs/*
!logs/keep/
*.log
!important.log
/a/*
!/a/b
Dist
!dist
`;

const TERRAFORM = `*.tfstate
*.tfstate.*
*.tfplan
tfplan
.terraform/
.terraform.lock.hcl
terraform.tfvars
*.auto.tfvars
override.tf
override.tf.json
*_override.tf
*_override.tf.json
.terraformrc
terraform.rc
*.backup
*.out
Thumbs.db
exports/
backups/
`;

/** Odd but valid lines: spaces, `?`, a lone `*`, dots, brackets with ranges, case. */
const ODD = `  leading-space.txt
trailing-space.txt   
file?.txt
[Dd]ebug/
[Bb]in/
[a-c]*.tmp
log[0-9].txt
*.[oa]
/*.sh
.
..
!
#comment
 #not-a-comment
BUILD.md
foo/*/bar
`;

/** Leading globstars (a mobile app's usual lines). */
const GLOBSTARS = `**/Pods/
**/.terraform/*
**/dist
**/*.keystore
**/*sync/
**/ios/Flutter/.last_build_id
**/**/deep.txt
!**/dist/keep
**/android/key.properties
**/__pycache__
`;

/** Outside the compiled subset: `ignore` answers. */
const FALLBACK = [
  `**/generated\n!src/**/keep.ts\nlogs/**\n`,
  `\\#hash\n\\!bang\nescaped\\ space \n`,
  `*.[!o]\n[[:digit:]]*.txt\n[]x]\n`,
  `\uFEFFbom.txt\nother\n`,
  `a/**/b\n**/node_modules/\n`,
  `/**/x\n`,
  `build/**\n`,
];

const DIRS = ['src', 'build', 'Build', 'node_modules', 'dist', 'Dist', 'env', 'venv', '.venv', 'logs', 'keep', 'frontend', '.yarn', 'patches',
  'terraform', '.terraform', 'staging', '__pycache__', 'a', 'b', 'config', 'Debug', 'bin', 'site', 'docs', '_build', 'tmp', 'foo', 'x'];
const FILES = ['main.py', 'main.pyc', 'x.PYC', 'app.log', 'important.log', 'debug.log.1', '.env', '.env.local', '.env.example', '.env.production',
  'README.md', 'BUILD.md', 'service-account-key.json', 'package.json', 'secret.json', 'gcp-prod.json', 'key-sa-key.json', 'notes_old.txt', 'data.db',
  'x.tfstate', 'x.tfstate.backup', 'Thumbs.db', 'file~', 'a.swp', 'a.swo', 'foo$py.class', '.DS_Store', 'build', 'out', 'a', 'b', 'tfplan',
  'override.tf', 'deploy.sh', 'file1.txt', 'file.txt', 'log3.txt', 'x.o', 'x.a', 'b.tmp', 'Atest.tmp', 'bar', 'leading-space.txt',
  '  leading-space.txt', 'trailing-space.txt', '.coverage', '.coverage.xml', 'local_settings.py', 'keep.ts', 'generated', '#hash', '!bang',
  'escaped space', 'bom.txt', 'APP.LOG', '.ENV', 'Thumbs.DB', 'X.TFSTATE', 'Main.PYC', '.last_build_id', 'x.keystore', 'async', 'key.properties', 'deep.txt', 'keep', 'dist', 'Pods', 'downloads.htm', 'frontend.json', '.jest-cache', '..x', 'Été.log'];

/** Directory paths (with `/`) to depth 3 and files under them, deterministic: every file under
 * the root, the special folders and depth-1 folders, a quarter of them deeper (`deep`; fewer
 * without). */
function paths(deep: boolean): string[] {
  const dirs: { d: string; all: boolean }[] = [{ d: '', all: true }];
  for (const a of DIRS) {
    dirs.push({ d: `${a}/`, all: true });
    for (const b of DIRS) {
      dirs.push({ d: `${a}/${b}/`, all: false });
      if (deep && (a.length * 3 + b.length) % 17 === 0) for (const c of DIRS) dirs.push({ d: `${a}/${b}/${c}/`, all: false });
    }
  }
  for (const d of ['frontend/cypress/downloads/', 'terraform/staging/.terraform/', 'terraform-gcp/github-runner/.terraform/providers/',
    'app/app/data/generated/content_corpuses/', '.service_discovery/', 'config/', 'logs/keep/', 'src/deep/keep/', 'terraform-dev-postgres/',
    'app/ios/Flutter/', 'ios/Flutter/', 'mobile/android/', 'Pods/', 'x/async/', 'a/b/c/dist/', 'infra/.terraform/modules/']) {
    const segs = d.split('/').filter(Boolean);
    for (let i = 1; i <= segs.length; i++) dirs.push({ d: segs.slice(0, i).join('/') + '/', all: true });
  }
  const out = new Set<string>();
  const step = deep ? 4 : 29;
  for (const [i, { d, all }] of dirs.entries()) {
    if (d) out.add(d);
    FILES.forEach((f, j) => {
      if (all || (i + j) % step === 0) out.add(d + f);
    });
  }
  return [...out];
}

const PATHS = paths(true);
/** For the line-by-line comparisons (a few hundred rule sets). */
const SHALLOW = paths(false);


/** `ignore`'s answers on the paths whose parent folders it does not ignore, against the matcher's. */
function compare(text: string | string[], battery = PATHS): number {
  const ig = ignore().add(text);
  const mine = compileIgnore(text);
  let compared = 0;
  for (const p of battery) {
    const segs = p.split('/');
    let parentIgnored = false;
    for (let i = 1; i < segs.length - (p.endsWith('/') ? 1 : 0); i++) {
      if (ig.ignores(segs.slice(0, i).join('/') + '/')) {
        parentIgnored = true;
        break;
      }
    }
    if (parentIgnored) continue;
    assert.equal(mine.ignores(p), ig.ignores(p), `${JSON.stringify(p)} against\n${text}`);
    compared++;
  }
  return compared;
}

test('real-shaped .gitignore files are compiled and answer as `ignore` does', () => {
  for (const text of [PYTHON, NODE, MONOREPO, NEGATIONS, TERRAFORM, ODD, PYTHON + NODE + MONOREPO]) {
    assert.equal(compileIgnore(text).by, 'compiled', text);
    assert.ok(compare(text) > 1000);
  }
});

test('each line alone answers as `ignore` does (both orders of a negation included)', () => {
  for (const text of [PYTHON, NODE, MONOREPO, NEGATIONS, TERRAFORM, ODD]) {
    const lines = text.split('\n');
    for (const line of lines) if (line.trim() && !line.startsWith('#')) compare(line, SHALLOW);
    compare(lines.reverse().join('\n'), SHALLOW);
  }
});

test('the config\'s `ignore` list (an array of patterns) answers as `ignore` does', () => {
  const list = ['generated/', '*.snap', '/fixtures', '!fixtures/keep.py', 'vendor/*'];
  assert.equal(compileIgnore(list).by, 'compiled');
  compare(list);
  assert.equal(compileIgnore([]).ignores('a.py'), false);
});

test('lines outside the compiled subset leave the whole file to `ignore`', () => {
  for (const text of FALLBACK) {

    assert.equal(compileIgnore(text).by, 'ignore', text);
    compare(text);
  }
});

test('matching is case-insensitive, as `ignore` is by default', () => {
  const m = compileIgnore('*.LOG\nbuild/\n/Docs\n');
  assert.equal(m.ignores('x/app.log'), true);
  assert.equal(m.ignores('BUILD/'), true);
  assert.equal(m.ignores('docs'), true);
  assert.equal(m.ignores('x/docs'), false);
  assert.equal(m.ignores('build'), false, 'a directory-only pattern does not match a file');
});

test('a tree with nested .gitignore files lists what a walk with `ignore` lists', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-gitignore-'));
  try {
    const files: Record<string, string> = {
      '.gitignore': MONOREPO + '!keep.log\n',
      'frontend/.gitignore': NODE,
      'infra/.gitignore': TERRAFORM,
      'svc/.gitignore': '**/generated\n!src/**/keep.py\n',
      'svc/src/generated/x.py': '', 'svc/src/keep.py': '', 'svc/src/a/generated': '', 'svc/main.py': '',
      'frontend/.env.local': '', 'frontend/.env.example': '', 'frontend/src/app.ts': '', 'frontend/.yarn/patches/p.sh': '',
      'frontend/.yarn/cache/c.sh': '', 'frontend/build/out.js': '', 'frontend/src/build/x.ts': '', 'frontend/next-env.d.ts': '',
      'infra/main.tf': '', 'infra/terraform.tfvars': '', 'infra/x.tfstate': '', 'infra/exports/e.sh': '', 'infra/cloudbuild.yaml': '',
      'app/main.py': '', 'app/main_old.py': '', 'app/app.log': '', 'app/keep.log': '', 'app/.env': '', 'app/.env.production': '',
      'reports/r.py': '', 'venv_test/x.py': '', 'sub/venv_test/y.py': '', 'config/netra-staging-7a1059b7cf26.json': '', 'config/app.json': '',
      'deploy.sh': '', 'Dockerfile': '', 'scripts/run~': '', 'scripts/run': '',
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const listed = await listFiles(root, { ignore: ['scripts/run'], skipDirs: [] }, []);
    assert.deepEqual(listed, referenceWalk(root, ['scripts/run']));
    assert.ok(listed.includes('svc/src/keep.py') && !listed.includes('svc/src/generated/x.py') && listed.includes('frontend/.env.example'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

/** The walk's listing rules with `ignore` for every .gitignore (what scan.ts did before the matcher). */
function referenceWalk(root: string, configIgnore: string[]): string[] {
  const base = ignore().add(configIgnore);
  const out: string[] = [];
  const walk = (rel: string, rules: { ig: ReturnType<typeof ignore>; at: string }[]): void => {
    const dir = path.join(root, rel);
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    let here = rules;
    if (entries.some((e) => e.name === '.gitignore')) here = [...rules, { ig: ignore().add(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')), at: rel }];
    const ignored = (p: string): boolean => base.ignores(p) || here.some((r) => {
      const sub = r.at ? p.slice(r.at.length + 1) : p;
      return !!sub && r.ig.ignores(sub);
    });
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!ignored(`${child}/`)) walk(child, here);
      } else if (!ignored(child)) {
        out.push(child);
      }
    }
  };
  walk('', []);
  return out.filter((f) => classify(f) !== 'other' || !path.basename(f).includes('.')).sort();
}
