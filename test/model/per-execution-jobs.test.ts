/**
 * A Cloud Run job whose image's command is an interpreter alone (`ENTRYPOINT ["python"]`, no
 * `CMD`) and that gives none of its own runs no program of the image's: each execution names one
 * (`--args main.py` at execution time). As for a job running its own `--command`, none of the
 * service's reads is asked of it. Minimal original reproduction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type Files } from '../rule-harness';
import { extractFile } from '../../server/src/extract/index';

const jobs = (dockerfile: string, args = ''): Files => ({
  'jobs/requirements.txt': 'supabase\n',
  'jobs/Dockerfile': dockerfile,
  'jobs/main.py': 'import os\n\nURL = os.environ["SUPABASE_URL"]\n',
  'jobs/config.py': 'import os\n\nAPP_URL = os.environ["SUPABASE_APP_URL"]\n',
  'infra/jobs.tf': `resource "google_cloud_run_v2_job" "jobs" {
  name     = "jobs"
  location = "europe-west1"
  template {
    template {
      containers {
        image = var.jobs_image
${args}        env {
          name  = "SUPABASE_URL"
          value = "https://x.supabase.co"
        }
      }
    }
  }
}
`,
});

const unset = async (files: Files): Promise<string[]> =>
  (await analyze(files)).findings.filter((f) => f.rule === 'env-unset-for-deploy').map((f) => f.message);

test('a job of an image running python alone is asked for nothing; --explain says why', async () => {
  const files = jobs('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["python"]\n');
  assert.deepEqual(await unset(files), []);
  const { ws } = await analyze(files);
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'infra/jobs.tf'));
  assert.ok(t?.deploys[0]?.evidence.some((e) => /image runs python alone: each execution names the program/.test(e)));
});

test('controls: an image with its own program, and a job giving its own args, are asked for what they run', async () => {
  assert.deepEqual(await unset(jobs('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["python"]\nCMD ["config.py"]\n')),
    ['jobs (default) is deployed without SUPABASE_APP_URL, which jobs/config.py reads (deploy linked by name)']);
  // The job's own args name its program: a target of that entry, not one of each execution's.
  const { ws } = await analyze(jobs('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENTRYPOINT ["python"]\n', '        args = ["config.py"]\n'));
  const t = ws.model().targets.find((x) => x.deploys.some((d) => d.file === 'infra/jobs.tf'));
  assert.equal(t?.key, 'jobs-config@default');
  assert.equal(t?.deploys[0]?.perExecution, undefined);
});

test('Dockerfile: an interpreter alone is recorded; with a script, or an interpreter option, it is not', () => {
  assert.equal(extractFile('Dockerfile', 'FROM python:3.12\nENTRYPOINT ["/usr/local/bin/python3"]\n').dockerfile?.bareInterpreter, '/usr/local/bin/python3');
  assert.equal(extractFile('Dockerfile', 'FROM node:20\nCMD ["node"]\n').dockerfile?.bareInterpreter, 'node');
  assert.equal(extractFile('Dockerfile', 'FROM python:3.12\nENTRYPOINT ["python"]\nCMD ["main.py"]\n').dockerfile?.bareInterpreter, undefined);
  assert.equal(extractFile('Dockerfile', 'FROM python:3.12\nENTRYPOINT ["python", "-u"]\n').dockerfile?.bareInterpreter, undefined);
});
