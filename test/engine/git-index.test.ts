/**
 * A `.gitignore` rule never hides a file git tracks (a deploy file committed before the rule, or
 * added with `git add -f`): the scan reads the repository's index (versions 2 to 4) and lists such
 * files, while untracked ignored files stay out and the config's own `ignore` still applies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listFiles } from '../../server/src/engine/scan';
import { parseGitIndex, trackedFiles } from '../../server/src/engine/git-index';

const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function repo(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dp-gitindex-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  return root;
}

test('tracked files under a .gitignore rule are listed; untracked ignored ones are not; the config ignore still applies', { skip: hasGit ? false : 'git is not installed on this machine' }, async () => {
  const root = repo({
    '.gitignore': 'cloudbuild*.y*\nsecrets/\n',
    'cloudbuild.yaml': 'steps: []\n',
    'cloudbuild-local.yaml': 'steps: []\n',
    'secrets/deploy.sh': 'echo tracked\n',
    'secrets/local.sh': 'echo untracked\n',
    'app/main.py': 'print(1)\n',
  });
  try {
    execFileSync('git', ['add', '-f', 'cloudbuild.yaml', 'secrets/deploy.sh', 'app/main.py', '.gitignore'], { cwd: root, stdio: 'ignore' });
    for (const version of ['2', '3', '4']) {
      execFileSync('git', ['update-index', '--index-version', version], { cwd: root, stdio: 'ignore' });
      const listed = await listFiles(root, { ignore: [] }, []);
      assert.deepEqual(listed, ['app/main.py', 'cloudbuild.yaml', 'secrets/deploy.sh'], `index version ${version}`);
      const withConfig = await listFiles(root, { ignore: ['cloudbuild.yaml'] }, []);
      assert.ok(!withConfig.includes('cloudbuild.yaml'), 'the config ignore wins');
    }
    // A workspace inside the repository sees its own part of the index.
    assert.deepEqual([...trackedFiles(path.join(root, 'secrets'))!.files], ['deploy.sh']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('an index that is not one, or of an unknown version, gives no answer', () => {
  assert.equal(parseGitIndex(Buffer.from('not an index at all')), undefined);
  const header = Buffer.alloc(12);
  header.write('DIRC', 0, 'latin1');
  header.writeUInt32BE(9, 4);
  assert.equal(parseGitIndex(header), undefined);
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(3, 8); // three entries promised, none there
  assert.equal(parseGitIndex(header), undefined);
});
