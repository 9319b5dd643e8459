/**
 * PowerShell deploy scripts: the gcloud commands they run, read exactly or not at all. Minimal
 * original scripts in the shapes real `.ps1` deploys take (backtick continuations, `param()`
 * defaults, `--flag=value` written bare, `cmd /c "…"`, splatted argument arrays).
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractPowerShell } from '../../server/src/extract/powershell';
import { emptyFacts, type DeployFact, type EnvBlock, type FileFacts } from '../../server/src/core/facts';
import { classify } from '../../server/src/extract/classify';

before(ready);

function run(text: string, file = 'deploy/deploy.ps1'): FileFacts {
  const facts = emptyFacts(file, 'powershell', 'h');
  extractPowerShell(text, facts);
  assert.deepEqual(facts.problems, []);
  return facts;
}

function one(text: string, file?: string): DeployFact {
  const facts = run(text, file);
  assert.equal(facts.deploys.length, 1, 'exactly one deploy');
  assert.equal(facts.unreadDeploy, undefined, 'nothing left unread');
  return facts.deploys[0]!;
}

function block(d: DeployFact, kind: EnvBlock['kind']): EnvBlock {
  const b = d.blocks.find((x) => x.kind === kind);
  assert.ok(b, `a ${kind} block`);
  return b;
}

const entries = (text: string, b: EnvBlock): string[] =>
  b.entries.map((e) => `${e.name}=${e.value.kind === 'literal' ? e.value.value : e.value.kind === 'secret' ? `secret:${e.value.secret}` : `(${e.value.kind})`}@${at(text, 'span' in e.value ? e.value.span : undefined)}`);

test('.ps1 files are PowerShell; batch files stay unread scripts', () => {
  assert.equal(classify('deploy/deploy_backend.ps1'), 'powershell');
  assert.equal(classify('deploy/deploy_backend.bat'), 'unread-script');
  assert.equal(classify('deploy/deploy_backend.cmd'), 'unread-script');
});

test('a deploy continued with backticks, its variables from param() defaults and assignments', () => {
  const text = [
    'param(',
    '    [string]$ProjectId = "acme-staging",',
    '    [string]$Region = "europe-west1"',
    ')',
    '$ServiceName = "api"',
    '$Image = "gcr.io/$ProjectId/${ServiceName}:latest"',
    'gcloud run deploy $ServiceName `',
    '    --image $Image `',
    '    --region $Region `',
    '    --set-env-vars "LOG_LEVEL=info,SECRET_KEY=change_me" `',
    "    --set-secrets 'DATABASE_URL=db-url:latest'",
    '',
  ].join('\n');
  const d = one(text);
  assert.equal(d.via, 'powershell');
  assert.equal(d.platform, 'cloud-run');
  assert.equal(d.service?.value, 'api');
  assert.equal(d.image?.value, 'gcr.io/acme-staging/api:latest');
  const env = block(d, 'env');
  assert.equal(env.mode, 'set');
  assert.deepEqual(entries(text, env), ['LOG_LEVEL=info@info', 'SECRET_KEY=change_me@change_me']);
  assert.deepEqual(entries(text, block(d, 'secrets')), ['DATABASE_URL=secret:db-url@db-url:latest']);
  // A new entry goes inside the quotes, after the last one.
  assert.equal(env.insert?.dialect, 'powershell');
  assert.equal(text.slice(env.insert!.offset, env.insert!.offset + 2), '" ');
});

test('--flag=value written bare is one argument, as gcloud receives it', () => {
  const text = 'gcloud run deploy api --source . --region=us-central1 --set-env-vars="MODE=prod,DB_HOST=/cloudsql/acme:eu:db" --port=8080 --quiet\n';
  const d = one(text);
  assert.equal(d.source?.value, '.');
  assert.equal(d.port?.value, '8080');
  assert.deepEqual(entries(text, block(d, 'env')), ['MODE=prod@prod', 'DB_HOST=/cloudsql/acme:eu:db@/cloudsql/acme:eu:db']);
  assert.equal(at(text, block(d, 'env').keySpan), '--set-env-vars');
});

test('a variable the script never sets keeps its name, and is unseen', () => {
  const text = 'gcloud run deploy api --image gcr.io/acme/api --set-env-vars "OPENAI_API_KEY=$env:OPENAI_API_KEY,MODE=prod"\n';
  const d = one(text);
  const [key, mode] = block(d, 'env').entries;
  assert.equal(key!.value.kind, 'dynamic');
  assert.equal(at(text, 'span' in key!.value ? key!.value.span : undefined), '$env:OPENAI_API_KEY');
  assert.equal(mode!.value.kind, 'literal');
});

test('a value assigned in one branch of two is not known at the deploy', () => {
  const text = 'if ($Prod) { $Service = "api" } else { $Service = "api-staging" }\ngcloud run deploy $Service --image gcr.io/acme/api\n';
  const d = one(text);
  assert.equal(d.service?.value, undefined);
  // One assignment before an `if` that does not touch it stays known inside and after it.
  const text2 = '$Service = "api"\nif ($Verbose) { Write-Host "deploying $Service" }\ngcloud run deploy $Service --image gcr.io/acme/api\n';
  assert.equal(one(text2).service?.value, 'api');
});

test('a command line handed to cmd /c is read as cmd splits it', () => {
  const text = '$SERVICE_NAME = "backend"\n$PROJECT_ID = "acme"\ncmd /c "gcloud run deploy $SERVICE_NAME --image gcr.io/$PROJECT_ID/$SERVICE_NAME --set-env-vars SECRET_KEY=change_me_in_production"\n';
  const d = one(text);
  assert.equal(d.service?.value, 'backend');
  assert.equal(d.image?.value, 'gcr.io/acme/backend');
  assert.deepEqual(entries(text, block(d, 'env')), ['SECRET_KEY=change_me_in_production@change_me_in_production']);
});

test('cmd /c with a list quoted inside the string (""…""): entries keep their own spans', () => {
  const text = '$S = "api"\ncmd /c "gcloud run deploy $S --set-env-vars ""MODE=prod,SECRET_KEY=acme_key_change_me_in_production"""\n';
  const d = one(text);
  assert.deepEqual(entries(text, block(d, 'env')), ['MODE=prod@prod', 'SECRET_KEY=acme_key_change_me_in_production@acme_key_change_me_in_production']);
});

test('an argument array splatted into gcloud, and gcloud called through a path', () => {
  const text = [
    '$gcloud = "C:\\Program Files\\Google\\Cloud SDK\\bin\\gcloud.cmd"',
    '$deployArgs = @("run", "deploy", "worker", "--image", "gcr.io/acme/worker", "--set-env-vars", "QUEUE=jobs")',
    '& $gcloud @deployArgs',
    '',
  ].join('\n');
  const d = one(text);
  assert.equal(d.service?.value, 'worker');
  assert.deepEqual(entries(text, block(d, 'env')), ['QUEUE=jobs@jobs']);
});

test('Set-Location and Push-Location move where --source points', () => {
  const text = 'Set-Location services\nPush-Location api\ngcloud run deploy api --source .\nPop-Location\ngcloud run deploy web --source web\n';
  const facts = run(text);
  assert.deepEqual(facts.deploys.map((d) => d.source?.value), ['services/api', 'services/web']);
});

test('an image build: docker build -f and gcloud builds submit', () => {
  const text = '$IMAGE = "gcr.io/acme/api:v1"\ndocker build -t $IMAGE -f backend/Dockerfile backend\ngcloud builds submit --tag gcr.io/acme/web web\n';
  const facts = run(text);
  assert.deepEqual(facts.builds.map((b) => [b.image?.value, b.dockerfile?.value, b.context?.value]), [
    ['gcr.io/acme/api:v1', 'backend/Dockerfile', 'backend'],
    ['gcr.io/acme/web', undefined, 'web'],
  ]);
});

test('a command that is not read exactly is left unread, and the file says so', () => {
  // Unquoted, `A=1,B=2` is an array: PowerShell passes two arguments.
  const comma = run('gcloud run deploy api --image gcr.io/acme/api --set-env-vars A=1,B=2\n');
  assert.deepEqual(comma.deploys, []);
  assert.equal(comma.unreadDeploy, true);
  // A command built as a string and run with Invoke-Expression.
  const invoked = run('$cmd = "gcloud run deploy api --image gcr.io/acme/api"\nInvoke-Expression $cmd\n');
  assert.deepEqual(invoked.deploys, []);
  assert.equal(invoked.unreadDeploy, true);
});

test('look-alikes: printed or commented gcloud lines deploy nothing', () => {
  const facts = run('# gcloud run deploy api --source .\nWrite-Host "Next: gcloud run deploy api --source ."\ngcloud auth login\n');
  assert.deepEqual(facts.deploys, []);
  assert.equal(facts.unreadDeploy, undefined);
});

test('CRLF line endings and a new flag continued with a backtick', () => {
  const text = 'gcloud run deploy api `\r\n    --image gcr.io/acme/api `\r\n    --region europe-west1\r\n';
  const d = one(text);
  assert.equal(d.image?.value, 'gcr.io/acme/api');
  const ins = d.newEnvBlock!;
  assert.equal(ins.dialect, 'powershell');
  assert.equal(ins.before, ' `\n    ');
  assert.equal(text.slice(ins.offset - 'europe-west1'.length, ins.offset), 'europe-west1');
});
