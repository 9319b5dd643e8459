#!/usr/bin/env node
/**
 * A stand-in for the gcloud CLI, for tests of `deploy-preflight drift --live`. It answers the
 * read-only commands from recordings in gcloud's real output formats and fails loudly on anything
 * else, so a test run proves no other command was attempted.
 *
 *   FAKE_GCLOUD_DIR     recordings: <name>.yaml (services and jobs, by metadata.name and kind),
 *                       secrets-<project>.json, versions-<project>-<secret>.json
 *   FAKE_GCLOUD_CONFIG  JSON of `config get-value` answers ({"project": "…", "run/region": "…"})
 *   FAKE_GCLOUD_LOG     file each invocation is appended to (one JSON array of arguments a line)
 *   FAKE_GCLOUD_MODE    "unauthenticated": every command fails as gcloud does without credentials
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
if (process.env.FAKE_GCLOUD_LOG) fs.appendFileSync(process.env.FAKE_GCLOUD_LOG, JSON.stringify(args) + '\n');

const dir = process.env.FAKE_GCLOUD_DIR || '.';
const flag = (name) => {
  const i = args.indexOf(name);
  if (i !== -1) return args[i + 1];
  const inline = args.find((a) => a.startsWith(`${name}=`));
  return inline && inline.slice(name.length + 1);
};
const words = [];
for (const a of args) {
  if (a.startsWith('-')) break;
  words.push(a);
}
const command = words.slice(0, 3).join(' ');
const fail = (code, message) => {
  process.stderr.write(message + '\n');
  process.exit(code);
};

const READ = [/^run (services|jobs) (describe|list)$/, /^secrets list$/, /^secrets versions list$/, /^config get-value$/];
const key = words.slice(0, words[0] === 'run' || words[1] === 'versions' ? 3 : 2).join(' ');
if (!READ.some((r) => r.test(key))) fail(97, `FAKE GCLOUD: refused a command that is not read-only: ${args.join(' ')}`);

if (process.env.FAKE_GCLOUD_MODE === 'unauthenticated') {
  fail(1, `ERROR: (gcloud.${words.slice(0, 3).join('.')}) You do not currently have an active account selected.\nPlease run:\n\n  $ gcloud auth login\n\nto obtain new credentials.`);
}

if (key === 'config get-value') {
  const config = JSON.parse(process.env.FAKE_GCLOUD_CONFIG || '{}');
  process.stdout.write(`${config[words[2]] ?? ''}\n`);
  if (config[words[2]] === undefined) process.stderr.write('(unset)\n');
  process.exit(0);
}

if (/^run (services|jobs) describe$/.test(key)) {
  const name = words[3];
  const kind = words[1] === 'jobs' ? 'Job' : 'Service';
  if (flag('--format') !== 'export') fail(2, 'FAKE GCLOUD: only --format export is recorded');
  const file = path.join(dir, `${name}.yaml`);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (!text || !new RegExp(`^kind: ${kind}$`, 'm').test(text)) {
    fail(1, `ERROR: (gcloud.run.${words[1]}.describe) Cannot find ${kind === 'Job' ? 'job' : 'service'} [${name}] in region [${flag('--region')}].`);
  }
  process.stdout.write(text);
  process.exit(0);
}

if (key === 'secrets list' || key === 'secrets versions list') {
  const project = flag('--project');
  const file = key === 'secrets list' ? path.join(dir, `secrets-${project}.json`) : path.join(dir, `versions-${project}-${words[3]}.json`);
  if (!fs.existsSync(file)) fail(1, `ERROR: (gcloud.${key.replace(/ /g, '.')}) NOT_FOUND: ${key === 'secrets list' ? `Project [${project}]` : `Secret [${words[3]}]`} not found or has no recording.`);
  process.stdout.write(fs.readFileSync(file, 'utf8'));
  process.exit(0);
}

process.stdout.write('[]\n'); // `run services list` / `run jobs list`: nothing recorded
