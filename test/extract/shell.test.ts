import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractShell, type ShellOptions } from '../../server/src/extract/shell';
import { emptyFacts, type DeployFact, type EnvBlock, type FileFacts, type Insertion } from '../../server/src/core/facts';

before(ready);

function run(text: string, opts: ShellOptions = { via: 'shell' }): FileFacts {
  const facts = emptyFacts('deploy.sh', 'shell', 'h');
  extractShell(text, facts, opts);
  return facts;
}

function one(text: string, opts?: ShellOptions): DeployFact {
  const facts = run(text, opts);
  assert.equal(facts.deploys.length, 1, 'exactly one deploy');
  assert.deepEqual(facts.problems, []);
  return facts.deploys[0];
}

function block(d: DeployFact, kind: EnvBlock['kind']): EnvBlock {
  const b = d.blocks.find((x) => x.kind === kind);
  assert.ok(b, `a ${kind} block`);
  return b;
}

/** Applies an insertion with a hand-rendered entry. */
function apply(text: string, ins: Insertion | undefined, entry: string): string {
  assert.ok(ins);
  return text.slice(0, ins.offset) + ins.before + entry + ins.after + text.slice(ins.offset);
}

test('single-line deploy with --set-env-vars=A=1,B=2', () => {
  const text = 'gcloud run deploy api --image gcr.io/p/api:v1 --region us-central1 --set-env-vars=A=1,B=2\n';
  const d = one(text);
  assert.equal(d.platform, 'cloud-run');
  assert.equal(d.via, 'shell');
  assert.equal(at(text, d.span), text.trimEnd());
  assert.equal(d.service?.value, 'api');
  assert.equal(at(text, d.service?.span), 'api');
  assert.equal(d.image?.value, 'gcr.io/p/api:v1');
  assert.equal(at(text, d.image?.span), 'gcr.io/p/api:v1');
  assert.equal(d.region?.value, 'us-central1');
  const env = block(d, 'env');
  assert.equal(env.mode, 'set');
  assert.equal(at(text, env.span), 'A=1,B=2');
  assert.deepEqual(env.entries.map((e) => [e.name, at(text, e.nameSpan), at(text, e.span), at(text, e.value.kind === 'literal' ? e.value.span : undefined)]), [
    ['A', 'A', 'A=1', '1'],
    ['B', 'B', 'B=2', '2'],
  ]);
  assert.equal(apply(text, env.insert, 'C=3'), text.replace('B=2', 'B=2,C=3'));
  assert.equal(env.insert?.quote, undefined);
  // gcloud takes one of --set-env-vars, --update-env-vars and --env-vars-file: beside a list of
  // variables no second flag is offered. A new flag goes after the last word, on the same line.
  assert.equal(d.newEnvBlock, undefined);
  assert.equal(apply(text, d.newSecretBlock, '--update-secrets=X=x:1'), text.replace('B=2\n', 'B=2 --update-secrets=X=x:1\n'));
  assert.equal(d.newSecretBlock?.format, 'gcloud-flag-secret');
  assert.equal(d.opaque, undefined);
});

test('an unquoted env list of NAME=$VALUE pairs is one word: every entry is read (the grammar splits it at a `=$`)', () => {
  const text = 'gcloud run deploy api --source . --set-env-vars API_KEY=$API_KEY,TRACE_HOST=$TRACE_HOST,LOGIN_USER=$LOGIN_USER,REGION=eu\n';
  const d = one(text);
  const env = block(d, 'env');
  assert.deepEqual(env.entries.map((e) => [e.name, at(text, e.nameSpan), e.value.kind]), [
    ['API_KEY', 'API_KEY', 'dynamic'],
    ['TRACE_HOST', 'TRACE_HOST', 'dynamic'],
    ['LOGIN_USER', 'LOGIN_USER', 'dynamic'],
    ['REGION', 'REGION', 'literal'],
  ]);
  assert.equal(at(text, env.span), 'API_KEY=$API_KEY,TRACE_HOST=$TRACE_HOST,LOGIN_USER=$LOGIN_USER,REGION=eu');
  // Separate words stay separate.
  assert.equal(one('gcloud run deploy api --source . --set-env-vars A=$A --region eu\n').region?.value, 'eu');
});

test('multi-line deploy with continuations, quoted env value, secrets', () => {
  const text = [
    '#!/usr/bin/env bash',
    'set -euo pipefail',
    'PROJECT_ID=my-proj',
    'REGION="us-central1"',
    '',
    'gcloud run deploy backend-staging \\',
    '    --source . \\',
    '    --project "$PROJECT_ID" \\',
    '    --region ${REGION} \\',
    '    --set-env-vars "ENVIRONMENT=staging,GCP_PROJECT_ID=${PROJECT_ID}" \\',
    '    --set-secrets=JWT_SECRET_KEY=jwt-secret-key-staging:latest,DB_PASS=projects/p/secrets/db-pass:3,/mnt/secret=foo:1',
    'echo done',
    '',
  ].join('\n');
  const d = one(text);
  assert.ok(at(text, d.span)?.startsWith('gcloud run deploy backend-staging'));
  assert.ok(at(text, d.span)?.endsWith('foo:1'));
  assert.equal(at(text, d.service?.span), 'backend-staging');
  assert.equal(d.source?.value, '.');
  assert.equal(at(text, d.source?.span), '.');
  assert.equal(d.project?.value, 'my-proj');
  assert.equal(at(text, d.project?.span), '$PROJECT_ID');
  assert.equal(d.region?.value, 'us-central1');
  assert.equal(at(text, d.region?.span), '${REGION}');

  const env = block(d, 'env');
  assert.equal(at(text, env.span), 'ENVIRONMENT=staging,GCP_PROJECT_ID=${PROJECT_ID}');
  const [e1, e2] = env.entries;
  assert.equal(e1.name, 'ENVIRONMENT');
  assert.deepEqual(e1.value.kind === 'literal' && e1.value.value, 'staging');
  assert.equal(e2.name, 'GCP_PROJECT_ID');
  assert.equal(at(text, e2.nameSpan), 'GCP_PROJECT_ID');
  assert.ok(e2.value.kind === 'literal');
  assert.equal(e2.value.value, 'my-proj');
  assert.equal(at(text, e2.value.span), '${PROJECT_ID}');
  // Inserting into the double-quoted list lands before the closing quote.
  assert.equal(env.insert?.quote, '"');
  assert.equal(apply(text, env.insert, 'X=1'), text.replace('${PROJECT_ID}"', '${PROJECT_ID},X=1"'));

  const sec = block(d, 'secrets');
  assert.equal(sec.mode, 'set');
  assert.deepEqual(
    sec.entries.map((e) => [e.name, e.value.kind === 'secret' ? [e.value.secret, e.value.version] : null, at(text, e.value.kind === 'secret' ? e.value.span : undefined)]),
    [
      ['JWT_SECRET_KEY', ['jwt-secret-key-staging', 'latest'], 'jwt-secret-key-staging:latest'],
      ['DB_PASS', ['db-pass', '3'], 'projects/p/secrets/db-pass:3'],
    ],
  );
  // Both kinds have their list: a new entry goes into it, never into a second flag.
  assert.equal(d.newSecretBlock, undefined);
  assert.equal(d.newEnvBlock, undefined);
  // ENVIRONMENT is not assigned in the script: no hint.
  assert.deepEqual(d.environmentHints, []);
});

test('--set-env-vars value forms: separate word, single quotes, update mode', () => {
  const a = 'gcloud run deploy api --set-env-vars "A=1,B=2"';
  const da = one(a);
  const ea = block(da, 'env');
  assert.equal(at(a, ea.span), 'A=1,B=2');
  assert.deepEqual(ea.entries.map((e) => at(a, e.span)), ['A=1', 'B=2']);
  assert.equal(ea.insert?.quote, '"');
  assert.equal(apply(a, ea.insert, 'C=3'), 'gcloud run deploy api --set-env-vars "A=1,B=2,C=3"');

  const b = "gcloud run deploy api --set-env-vars='A=1'";
  const eb = block(one(b), 'env');
  assert.equal(at(b, eb.entries[0].span), 'A=1');
  assert.equal(eb.insert?.quote, "'");
  assert.equal(apply(b, eb.insert, 'C=3'), "gcloud run deploy api --set-env-vars='A=1,C=3'");

  const c = 'gcloud run services update api --update-env-vars=LOG_LEVEL=debug --region=europe-west1';
  const dc = one(c);
  const ec = block(dc, 'env');
  assert.equal(ec.mode, 'update');
  assert.equal(at(c, ec.entries[0].nameSpan), 'LOG_LEVEL');
  assert.equal(dc.region?.value, 'europe-west1');
  assert.equal(at(c, dc.region?.span), 'europe-west1');
});

test('^DELIM^ form and --env-vars-file', () => {
  const text = "gcloud run deploy api --set-env-vars='^@^ALLOWED=a.com,b.com@B=3' --env-vars-file=env/staging.yaml";
  const d = one(text);
  const env = block(d, 'env');
  assert.deepEqual(env.entries.map((e) => [e.name, at(text, e.span)]), [
    ['ALLOWED', 'ALLOWED=a.com,b.com'],
    ['B', 'B=3'],
  ]);
  assert.equal(env.insert?.delimiter, '@');
  assert.equal(apply(text, env.insert, 'C=4'), text.replace("B=3'", "B=3@C=4'"));
  assert.equal(d.envFiles.length, 1);
  assert.equal(d.envFiles[0].value, 'env/staging.yaml');
  assert.equal(at(text, d.envFiles[0].span), 'env/staging.yaml');
});

test('commands inside functions, if bodies, pipelines and substitutions; beta and jobs', () => {
  const text = [
    'deploy_api() {',
    '  local svc="api-$1"',
    '  gcloud beta run deploy "$svc" --image "$IMAGE" --region us-east1',
    '}',
    'if [ "$ENVIRONMENT" = production ]; then',
    '  gcloud run jobs deploy migrate --image gcr.io/p/migrate && echo ok',
    'fi',
    'URL=$(sudo gcloud run services update web --update-env-vars=A=1 --format "value(status.url)")',
    'time gcloud run jobs create nightly --tasks 1 | tee log.txt',
  ].join('\n');
  const facts = run(text);
  assert.equal(facts.deploys.length, 4);
  const [f, j, u, c] = facts.deploys;
  assert.equal(f.platform, 'cloud-run');
  assert.equal(f.service?.value, undefined, 'svc holds $1: dynamic');
  assert.equal(f.service?.text, '$svc', 'kept as written');
  assert.equal(at(text, f.service?.span), '$svc');
  assert.equal(f.image?.value, undefined);
  assert.equal(at(text, f.image?.span), '$IMAGE');
  assert.equal(f.region?.value, 'us-east1');
  assert.equal(j.platform, 'cloud-run-job');
  assert.equal(j.service?.value, 'migrate');
  assert.equal(at(text, j.span), 'gcloud run jobs deploy migrate --image gcr.io/p/migrate');
  assert.equal(u.service?.value, 'web');
  assert.equal(block(u, 'env').mode, 'update');
  assert.equal(c.platform, 'cloud-run-job');
  assert.equal(c.service?.value, 'nightly');
});

test('non-deploy gcloud commands, strings, comments and heredocs produce nothing', () => {
  const text = [
    'gcloud builds submit --tag gcr.io/p/api .',
    'gcloud run services describe api --format=json',
    'echo "gcloud run deploy x --set-env-vars A=1"',
    '# gcloud run deploy old-service --set-env-vars A=1',
    "log_info 'gcloud run deploy logged --set-env-vars A=1'",
    'cat <<EOF',
    'gcloud run deploy in-heredoc',
    'EOF',
    'printf "%s" gcloud run deploy x',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.deploys, []);
  assert.deepEqual(facts.problems, []);
});

test('variables: last assignment wins, export/readonly/declare, defaults, unknowns, loops', () => {
  const text = [
    'PROJECT_ID=old-proj',
    'export PROJECT_ID="my-proj"',
    "readonly SERVICE='api-staging'",
    'declare -r IMG=gcr.io/${PROJECT_ID}/api',
    'gcloud run deploy "${SERVICE}" --project=$PROJECT_ID --image "$IMG:${TAG:-latest}" --region "${REGION:-us-central1}" \\',
    '  --set-env-vars "SHA=$GITHUB_SHA,BUILT=$(date +%s)"',
    'for s in a b; do',
    '  gcloud run deploy "$s" --project "$PROJECT_ID"',
    'done',
  ].join('\n');
  const facts = run(text);
  assert.equal(facts.deploys.length, 3);
  const [d, loopA, loopB] = facts.deploys;
  assert.equal(d.service?.value, 'api-staging');
  assert.equal(at(text, d.service?.span), '${SERVICE}');
  assert.equal(d.project?.value, 'my-proj');
  assert.equal(at(text, d.project?.span), '$PROJECT_ID');
  assert.equal(d.image?.value, 'gcr.io/my-proj/api:latest');
  assert.equal(at(text, d.image?.span), '$IMG:${TAG:-latest}');
  assert.equal(d.region?.value, 'us-central1');
  assert.equal(at(text, d.region?.span), '${REGION:-us-central1}', 'the expansion that gave the value');
  const env = block(d, 'env');
  assert.deepEqual(env.entries.map((e) => [e.name, e.value.kind, e.value.kind === 'dynamic' ? e.value.text : '']), [
    ['SHA', 'dynamic', '$GITHUB_SHA'],
    ['BUILT', 'dynamic', '$(date +%s)'],
  ]);
  assert.equal(at(text, env.entries[1].value.kind === 'dynamic' ? env.entries[1].value.span : undefined), '$(date +%s)');
  assert.equal(env.insert, undefined, 'a dynamic list is not extended');
  assert.equal(d.opaque, undefined);
  // A loop over literal items is read once per item (it used to stay one deploy named `$s`).
  assert.deepEqual([loopA, loopB].map((l) => [l.service?.value, at(text, l.service?.span), l.project?.value, l.instance?.label]),
    [['a', '$s', 'my-proj', 's=a'], ['b', '$s', 'my-proj', 's=b']]);
});

test('a resolved variable holding a list value gives up the character map', () => {
  const text = 'ENV_VARS="A=1,B=2"\ngcloud run deploy api --set-env-vars "$ENV_VARS"\n';
  const d = one(text);
  const env = block(d, 'env');
  assert.deepEqual(env.entries.map((e) => [e.name, e.value.kind === 'literal' && e.value.value, at(text, e.span)]), [
    ['A', '1', '"$ENV_VARS"'],
    ['B', '2', '"$ENV_VARS"'],
  ]);
  assert.equal(env.insert, undefined);
});

test('"$@", $EXTRA_FLAGS and a dynamic env list make the deploy opaque; flag values do not', () => {
  const a = 'gcloud run deploy api --region us-central1 "$@"';
  assert.equal(one(a).opaque, '$@');
  const b = 'gcloud run deploy api --allow-unauthenticated $EXTRA_FLAGS';
  assert.equal(one(b).opaque, '$EXTRA_FLAGS');
  const c = 'gcloud run deploy api --set-env-vars $ENV_LIST';
  assert.ok(one(c).opaque?.includes('$ENV_LIST'));
  const d = 'gcloud run deploy $SERVICE --service-account $SA --region $REGION';
  const dd = one(d);
  assert.equal(dd.opaque, undefined);
  assert.equal(dd.service?.text, '$SERVICE');
  assert.equal(at(d, dd.region?.span), '$REGION');
  // A variable resolved to several flags is split into words.
  const e = 'FLAGS="--region europe-west1 --update-env-vars=A=1"\ngcloud run deploy api $FLAGS';
  const de = one(e);
  assert.equal(de.opaque, undefined);
  assert.equal(de.region?.value, 'europe-west1');
  assert.equal(at(e, de.region?.span), '$FLAGS');
  assert.equal(block(de, 'env').entries[0].name, 'A');
});

test('environment hints from the script and from options', () => {
  const text = 'ENVIRONMENT=staging\nexport DEPLOY_ENV="production"\nf() { ENV=dev; }\ngcloud run deploy api\n';
  const given = [{ value: 'prod', span: { start: 0, end: 1 }, evidence: 'workflow environment: prod' }];
  const d = one(text, { via: 'github-actions', environmentHints: given });
  assert.equal(d.via, 'github-actions');
  assert.deepEqual(d.environmentHints.map((h) => [h.value, at(text, h.span), h.evidence]), [
    ['prod', 'E', 'workflow environment: prod'],
    ['staging', 'staging', 'ENVIRONMENT=staging in script'],
    ['production', 'production', 'DEPLOY_ENV=production in script'],
  ]);
});

test('shadow text: an indented run block surrounded by blanks keeps YAML offsets', () => {
  const yaml = [
    'jobs:',
    '  deploy:',
    '    steps:',
    '      - run: |',
    '          gcloud run deploy api \\',
    '            --project "${{ env.PROJECT }}" \\',
    '            --image gcr.io/p/api:${{ github.sha }} \\',
    '            --set-env-vars=GCP_PROJECT_ID=${{ vars.PROJECT }},MODE=${{ secrets.MODE }}',
    '        env:',
    '          X: 1',
  ].join('\n');
  const lines = yaml.split('\n');
  const shadow = lines.map((l, i) => (i >= 4 && i <= 7 ? l : ' '.repeat(l.length))).join('\n');
  assert.equal(shadow.length, yaml.length);
  const d = one(shadow, { via: 'github-actions' });
  assert.equal(at(yaml, d.service?.span), 'api');
  assert.equal(d.project?.value, undefined);
  assert.equal(d.project?.text, '${{ env.PROJECT }}');
  assert.equal(at(yaml, d.project?.span), '${{ env.PROJECT }}');
  assert.equal(d.image?.text, 'gcr.io/p/api:${{ github.sha }}');
  assert.equal(at(yaml, d.image?.span), 'gcr.io/p/api:${{ github.sha }}');
  const env = block(d, 'env');
  assert.deepEqual(env.entries.map((e) => [e.name, at(yaml, e.span), e.value.kind]), [
    ['GCP_PROJECT_ID', 'GCP_PROJECT_ID=${{ vars.PROJECT }}', 'dynamic'],
    ['MODE', 'MODE=${{ secrets.MODE }}', 'dynamic'],
  ]);
  assert.equal(d.newEnvBlock, undefined);
  assert.equal(
    apply(yaml, d.newSecretBlock, '--update-secrets=A=a:1'),
    yaml.replace('secrets.MODE }}\n', 'secrets.MODE }} \\\n            --update-secrets=A=a:1\n'),
  );
});

test('no new flag beside a list of its kind, nor beside an env-vars file (gcloud refuses both at once)', () => {
  const withFile = one('gcloud run deploy api --image gcr.io/p/api --env-vars-file env.yaml --set-secrets K=k:1\n');
  assert.equal(withFile.newEnvBlock, undefined);
  assert.equal(withFile.newSecretBlock, undefined);
  const bare = one('gcloud run deploy api --image gcr.io/p/api\n');
  assert.equal(bare.newEnvBlock?.format, 'gcloud-flag-env');
  assert.equal(bare.newSecretBlock?.format, 'gcloud-flag-secret');
});

test('a single-line shadow script indents nothing and inserts a space', () => {
  const yaml = "    - run: gcloud run deploy web --region=us-central1\n      name: x";
  const shadow = ' '.repeat(11) + yaml.slice(11, yaml.indexOf('\n')) + '\n' + ' '.repeat(13);
  assert.equal(shadow.length, yaml.length);
  const d = one(shadow, { via: 'github-actions' });
  assert.equal(at(yaml, d.region?.span), 'us-central1');
  assert.equal(d.newEnvBlock?.before, ' ');
  assert.equal(at(yaml, { start: d.newEnvBlock!.offset - 11, end: d.newEnvBlock!.offset }), 'us-central1');
});

test('escapes and ANSI-C strings: values unquoted, offsets still mapped or dropped', () => {
  const text = 'gcloud run deploy api --set-env-vars "MSG=say \\"hi\\",X=1" --update-secrets=$\'K=k:1\'';
  const d = one(text);
  const env = block(d, 'env');
  assert.deepEqual(env.entries.map((e) => [e.name, e.value.kind === 'literal' && e.value.value, at(text, e.span)]), [
    ['MSG', 'say "hi"', 'MSG=say \\"hi\\"'],
    ['X', '1', 'X=1'],
  ]);
  const sec = block(d, 'secrets');
  assert.equal(at(text, sec.entries[0].span), 'K=k:1');
});

test('non-ASCII text before the command keeps UTF-16 offsets', () => {
  const text = '# Déploiement — staging 🚀\ngcloud run deploy api --region=europe-west9\n';
  const d = one(text);
  assert.equal(at(text, d.region?.span), 'europe-west9');
  assert.equal(at(text, d.service?.span), 'api');
});

test('syntax errors elsewhere do not stop extraction; no gcloud and no postgres skips parsing', () => {
  const text = 'echo "start"\ndone\nfi )\ngcloud run deploy api --region us-central1\n';
  const facts = run(text);
  assert.deepEqual(facts.problems, []);
  assert.equal(facts.deploys.length, 1);
  assert.equal(at(text, facts.deploys[0].region?.span), 'us-central1');
  const ok = run('case $1 in\n  x) gcloud run deploy api ;;\nesac\n');
  assert.equal(ok.deploys.length, 1);
  assert.equal(ok.deploys[0].service?.value, 'api');
  const none = run('echo hello\n');
  assert.deepEqual(none.deploys, []);
  assert.deepEqual(none.dbUrls, []);
});

test('the gcloud binary from a variable', () => {
  const text = 'GCLOUD=/usr/lib/google-cloud-sdk/bin/gcloud\n"$GCLOUD" run deploy api\n$UNKNOWN run deploy other\n';
  const facts = run(text);
  assert.equal(facts.deploys.length, 1);
  assert.equal(at(text, facts.deploys[0].span), '"$GCLOUD" run deploy api');
});

test('Postgres URLs in assignments and in a deploy env list', () => {
  const text = [
    'export DATABASE_URL="postgresql+asyncpg://app:${DB_PASS}@/appdb?host=/cloudsql/p:us-central1:db&sslmode=require"',
    "READ_URL='postgres://ro@10.0.0.3:5432/appdb?sslmode=disable'",
    'NAME=plain',
    'gcloud run deploy api --set-env-vars="^|^DB_URL=postgresql://u@/d?host=/cloudsql/p:r:i&ssl=true|MODE=x"',
  ].join('\n');
  const facts = run(text);
  assert.equal(facts.deploys.length, 1);
  assert.deepEqual(facts.dbUrls.map((u) => [u.envName, u.scheme, at(text, u.span)]), [
    ['DATABASE_URL', 'postgresql+asyncpg', 'postgresql+asyncpg://app:${DB_PASS}@/appdb?host=/cloudsql/p:us-central1:db&sslmode=require'],
    ['READ_URL', 'postgres', 'postgres://ro@10.0.0.3:5432/appdb?sslmode=disable'],
    ['DB_URL', 'postgresql', 'postgresql://u@/d?host=/cloudsql/p:r:i&ssl=true'],
  ]);
  const ssl = facts.dbUrls[0].params.find((p) => p.key === 'sslmode');
  assert.equal(at(text, ssl?.span), 'sslmode=require');
  assert.equal(facts.dbUrls[0].socket, '/cloudsql/p:us-central1:db');
});

test('cd && deploy --source, and a deploy run by a prefix command with flags', () => {
  const text = 'cd services/api && sudo -E gcloud run deploy api --source . --quiet\n';
  const d = one(text);
  assert.equal(d.service?.value, 'api');
  assert.equal(at(text, d.source?.span), '.');
  assert.equal(at(text, d.span), 'gcloud run deploy api --source . --quiet');
});

test('a second call on the same facts adds only its own deploys and URLs', () => {
  const a = 'gcloud run deploy a --set-env-vars=DATABASE_URL=postgres://u@h/db\n';
  const b = 'gcloud run deploy b --region r\n';
  const facts = emptyFacts('wf.yml', 'yaml', 'h');
  extractShell(a, facts, { via: 'github-actions' });
  extractShell(b + ' '.repeat(a.length - b.length), facts, { via: 'github-actions' });
  assert.deepEqual(facts.deploys.map((d) => d.service?.value), ['a', 'b']);
  assert.equal(facts.dbUrls.length, 1);
  assert.equal(at(a, facts.dbUrls[0].span), 'postgres://u@h/db');
});

test('variables known from outside the script (a workflow env:)', () => {
  const text = 'gcloud run deploy api --project $PROJECT_ID --region ${REGION:-us-east4} --image "${IMAGE:-gcr.io/p/x}"\n';
  const d = one(text, { via: 'github-actions', variables: { PROJECT_ID: 'p1', IMAGE: undefined } });
  assert.equal(d.project?.value, 'p1');
  assert.equal(at(text, d.project?.span), '$PROJECT_ID');
  assert.equal(d.region?.value, 'us-east4');
  assert.equal(d.image?.value, undefined, 'set to something unseen: the default does not apply');
  assert.equal(d.image?.text, '${IMAGE:-gcr.io/p/x}');
  // The script's own assignment wins over the outside value.
  const own = one('PROJECT_ID=p2\n' + text, { via: 'github-actions', variables: { PROJECT_ID: 'p1' } });
  assert.equal(own.project?.value, 'p2');
});

test('a gcloud deploy handed to a helper as one quoted string is read, with the script\'s variables and exact spans', async () => {
  await ready();
  const text = [
    'REGION=europe-west1',
    'run_when_built() { local id="$1"; shift; wait_for_build "$id" && eval "$@"; }',
    'run_when_built "$BUILD_ID" "gcloud run deploy website-staging --region $REGION --set-env-vars API_ORIGIN=https://api.example.test"',
    "retry 3 'gcloud run deploy docs-staging --set-env-vars A=1'",
    "bash -c 'gcloud run deploy quoted-staging'",
    'echo "gcloud is not run here"',
    '',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.deploys.map((d) => [d.service?.value, d.region?.value]), [['website-staging', 'europe-west1'], ['docs-staging', undefined], ['quoted-staging', undefined]]);
  const entry = facts.deploys[0].blocks[0].entries[0];
  assert.equal(at(text, entry.nameSpan), 'API_ORIGIN');
  assert.equal(at(text, facts.deploys[1].blocks[0].entries[0].span), 'A=1');
});

test('literals a setup script writes into Secret Manager: echo/printf pipelines and here-strings', async () => {
  await ready();
  const text = [
    'echo -n "changeme" | gcloud secrets versions add jwt-signing-key --data-file=-',
    "printf '%s' 'REPLACE_WITH_TOKEN' | gcloud secrets create partner-token --data-file=- --replication-policy=automatic",
    'gcloud secrets versions add webhook-secret --data-file=- <<< "your-webhook-secret"',
    'printf "%s" "$REAL_VALUE" | gcloud secrets versions add from-env --data-file=-',
    'gcloud secrets versions add from-file --data-file=./secret.txt',
    '',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.secretValues.map((v) => [v.secret, at(text, v.secretSpan), at(text, v.valueSpan)]), [
    ['jwt-signing-key', 'jwt-signing-key', 'changeme'],
    ['partner-token', 'partner-token', 'REPLACE_WITH_TOKEN'],
    ['webhook-secret', 'webhook-secret', 'your-webhook-secret'],
  ]);
  // `secrets create` fails where the secret exists: its value is a new project's first only.
  assert.deepEqual(facts.secretValues.map((v) => v.onlyWhenNew ?? false), [false, true, false]);
  assert.deepEqual(facts.deploys, []);
});

test('a first value seeded only when the secret does not exist yet (after a failed describe) is marked so; an unconditional one is not', async () => {
  await ready();
  const text = [
    'name=api-token',
    'if ! gcloud secrets describe "$name" --project="$PROJECT" &>/dev/null; then',
    '  echo -n "PLACEHOLDER" | gcloud secrets create "$name" --data-file=-',
    'fi',
    'gcloud secrets describe session-key >/dev/null 2>&1 || echo -n "changeme" | gcloud secrets create session-key --data-file=-',
    'if gcloud secrets describe hook-secret; then echo "kept"; else echo -n "your-hook-secret" | gcloud secrets create hook-secret --data-file=-; fi',
    // Look-alikes: the then-branch of a plain describe, a describe joined with &&, no describe at all.
    'if gcloud secrets describe old-key; then echo -n "rotate-me" | gcloud secrets versions add old-key --data-file=-; fi',
    'gcloud secrets describe other-key && echo -n "replace-me" | gcloud secrets versions add other-key --data-file=-',
    'echo -n "changeme" | gcloud secrets versions add always-key --data-file=-',
    '',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.secretValues.map((v) => [v.secret, v.onlyWhenNew ?? false]), [
    ['api-token', true], ['session-key', true], ['hook-secret', true],
    ['old-key', false], ['other-key', false], ['always-key', false],
  ]);
});

test('a table of secrets (bash associative array) stored in a loop over its keys: each literal entry is a value of its own, at the entry', async () => {
  await ready();
  const text = [
    'KEY="$(openssl rand -hex 16)"',
    'declare -A SECRETS=(',
    '  ["api-token"]="REPLACE_ME"',
    '  [session-key]=changeme',
    '  [signing-key]="${KEY}"',
    ')',
    'for s in "${!SECRETS[@]}"; do',
    '  if gcloud secrets describe "$s" >/dev/null 2>&1; then',
    '    printf \'%s\' "${SECRETS[$s]}" | gcloud secrets versions add "$s" --data-file=-',
    '  else',
    '    printf \'%s\' "${SECRETS[$s]}" | gcloud secrets create "$s" --data-file=-',
    '  fi',
    'done',
    // Look-alikes: a table built entry by entry (`X[k]=v`) and a plain array's indexes.
    'declare -A LATER',
    'LATER[late-key]="changeme"',
    'for s in "${!LATER[@]}"; do echo -n "${LATER[$s]}" | gcloud secrets versions add "$s" --data-file=-; done',
    'PLAIN=(changeme)',
    'for i in "${!PLAIN[@]}"; do echo -n "${PLAIN[$i]}" | gcloud secrets versions add "plain-$i" --data-file=-; done',
    '',
  ].join('\n');
  const facts = run(text);
  // Written over a secret that exists (the `then` branch) as well as into a new one: not only a first value.
  assert.deepEqual(facts.secretValues.map((v) => [v.secret, at(text, v.valueSpan), v.onlyWhenNew ?? false]), [
    ['api-token', 'REPLACE_ME', false],
    ['session-key', 'changeme', false],
  ]);
});

test('a loop over the keys of an associative array deploys each key, from the folder its entry names', async () => {
  await ready();
  const text = [
    'declare -A SERVICES=([api]=services/api [web]="apps/web")',
    'for s in "${!SERVICES[@]}"; do',
    '  gcloud run deploy "shop-$s" --source "${SERVICES[$s]}" --region europe-west1',
    'done',
    '',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.deploys.map((d) => [d.service?.value, d.source?.value]), [['shop-api', 'services/api'], ['shop-web', 'apps/web']]);
});

test('`: "${X:=default}"` assigns X (the caller\'s value, else the default); `:?` and `:-` do not', () => {
  const text = [
    '#!/usr/bin/env bash',
    ': "${PROJECT_ID:?PROJECT_ID is required}"',
    ': "${SERVICE_API:=shop-api}" "${TOPIC_SECRET:=shop-topic}"',
    ': ${SERVICE_JOBS:-shop-jobs}',
    'gcloud run deploy "${SERVICE_API}" --image "europe-docker.pkg.dev/acme/apps/api:1" --project "${PROJECT_ID}" --set-secrets "TOPIC=${TOPIC_SECRET}:latest"',
    'gcloud run deploy "$SERVICE_JOBS" --image "europe-docker.pkg.dev/acme/apps/jobs:1"',
    '',
  ].join('\n');
  const facts = run(text);
  assert.equal(facts.deploys.length, 2);
  const [api, jobs] = facts.deploys;
  assert.equal(api.service?.value, 'shop-api');
  assert.equal(api.project?.value, undefined, 'a required variable from the caller stays unknown');
  const topic = block(api, 'secrets').entries[0];
  assert.deepEqual(topic.value.kind === 'secret' && [topic.value.secret, topic.value.version], ['shop-topic', 'latest']);
  // `${X:-d}` expands to d there but leaves X unset: a later `$X` is the caller's, unknown.
  assert.equal(jobs.service?.value, undefined);
});

test('an env list built piece by piece that ends with its separator still reads as its names', () => {
  const text = [
    'env_vars="ENVIRONMENT=production,"',
    'env_vars="${env_vars}RELEASE=${RELEASE},"',
    'env_vars="${env_vars}DB_NAME=${DB_NAME},"',
    'gcloud run deploy ledger --image europe-docker.pkg.dev/acme/apps/ledger:1 --set-env-vars="$env_vars"',
    '',
  ].join('\n');
  const d = one(text);
  assert.equal(d.opaque, undefined);
  assert.deepEqual(block(d, 'env').entries.map((e) => `${e.name}:${e.value.kind}`), ['ENVIRONMENT:literal', 'RELEASE:dynamic', 'DB_NAME:dynamic']);
  // A list whose names come from a loop stays unreadable.
  const looped = one('for n in A B; do secrets="${secrets}${n}=app-${n}:latest,"; done\ngcloud run deploy ledger --image x/ledger --set-secrets="$secrets"\n');
  assert.match(looped.opaque ?? '', /--set-secrets/);
});

test('a literal `cd` before a command moves its --source and build context; one we cannot follow, or that may not run, does not', () => {
  const text = [
    '#!/usr/bin/env bash',
    'cd ingest-service',
    'gcloud run deploy ingest --source=. --set-env-vars A=1',
    'cd ..',
    '(cd web && gcloud builds submit --tag europe-docker.pkg.dev/acme/apps/web:1)',
    'cd services && cd api && gcloud run deploy api --source . --set-env-vars A=1',
    '',
  ].join('\n');
  const f = run(text);
  assert.deepEqual(f.deploys.map((d) => d.source?.value), ['ingest-service', 'services/api']);
  assert.deepEqual(f.builds.map((b) => b.context?.value), ['web']);
  const unknown = run([
    'if [ -n "$OTHER" ]; then cd other; fi',
    'gcloud run deploy a --source . --set-env-vars A=1',
    'cd "$(dirname "$0")/.."',
    'gcloud run deploy b --source . --set-env-vars A=1',
    '',
  ].join('\n'));
  // Left as written: the model tries the script's folder and the root, as before.
  assert.deepEqual(unknown.deploys.map((d) => d.source?.value), ['.', '.']);
});

test('cd "$(dirname "$0")/…" in a script file goes to a folder named from the script\'s own place; in a run: block it is not followed', () => {
  const text = [
    '#!/usr/bin/env bash',
    'cd "$(dirname "$0")/../../back-end"',
    'docker build -t gcr.io/acme/api:1 .',
    'gcloud run deploy api --source . --set-env-vars A=1',
    'cd "$(dirname "${BASH_SOURCE[0]}")/../web"',
    'gcloud run deploy web --source . --set-env-vars A=1',
    'cd "$(dirname "$0")/$TARGET"',
    'gcloud run deploy other --source . --set-env-vars A=1',
    '',
  ].join('\n');
  const facts = emptyFacts('scripts/shell/deploy.sh', 'shell', 'h');
  extractShell(text, facts, { via: 'shell' });
  assert.deepEqual(facts.builds.map((b) => b.context?.value), ['back-end']);
  assert.deepEqual(facts.deploys.map((d) => d.source?.value), ['back-end', 'scripts/web', '.']);
  const step = emptyFacts('.github/workflows/deploy.yml', 'yaml', 'h');
  extractShell(text, step, { via: 'github-actions' });
  assert.deepEqual(step.deploys.map((d) => d.source?.value), ['.', '.', '.']);
});

test('cd "$ROOT_DIR/…" through the usual variables naming the script\'s folder and the repository root', () => {
  const text = [
    '#!/usr/bin/env bash',
    'set -e',
    'SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
    'ROOT_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"',
    'HERE=$(dirname "$(realpath "$0")")',
    'TOP="$(git rev-parse --show-toplevel)"',
    'PARENT="$(dirname "$SCRIPT_DIR")"',
    'cd "$ROOT_DIR/backend"',
    'gcloud run deploy ws --source . --set-env-vars A=1',
    'cd "$ROOT_DIR"',
    'gcloud builds submit --tag gcr.io/acme/web:1',
    'cd "${HERE}/../web/"',
    'gcloud run deploy web --source . --set-env-vars A=1',
    'cd "$TOP"/api',
    'gcloud run deploy api --source . --set-env-vars A=1',
    'cd "$SCRIPT_DIR"',
    'gcloud run deploy tools --source . --set-env-vars A=1',
    'cd "$PARENT/worker"',
    'gcloud run deploy worker --source . --set-env-vars A=1',
    '',
  ].join('\n');
  const facts = emptyFacts('scripts/deploy-cloud-run.sh', 'shell', 'h');
  extractShell(text, facts, { via: 'shell' });
  // The root itself is said from the script's folder, as after `cd "$(dirname "$0")/.."`.
  assert.deepEqual(facts.deploys.map((d) => d.source?.value), ['backend', 'web', 'api', 'scripts', 'worker']);
  assert.deepEqual(facts.builds.map((b) => b.context?.value), ['..']);
  // A variable set in a branch, from something else, or leaving the workspace: not followed.
  const unknown = emptyFacts('scripts/deploy.sh', 'shell', 'h');
  extractShell([
    'if [ -n "$CI" ]; then ROOT="$(cd "$(dirname "$0")/.." && pwd)"; fi',
    'cd "$ROOT/backend"',
    'gcloud run deploy a --source . --set-env-vars A=1',
    'BASE="$(pwd)"',
    'cd "$BASE/web"',
    'gcloud run deploy b --source . --set-env-vars A=1',
    'UP="$(cd "$(dirname "$0")/../.." && pwd)"',
    'cd "$UP/other"',
    'gcloud run deploy c --source . --set-env-vars A=1',
    '',
  ].join('\n'), unknown, { via: 'shell' });
  assert.deepEqual(unknown.deploys.map((d) => d.source?.value), ['.', '.', '.']);
});

test("the script's own positional parameter with a default reads as its default (the caller may give none); without a default it stays unseen", () => {
  const text = 'SERVICE="${1:-shop-api}"\nREGION="$2"\ngcloud run deploy "${SERVICE}" --region "$REGION" --image gcr.io/p/x\n';
  const d = one(text);
  assert.equal(d.service?.value, 'shop-api');
  assert.equal(d.region?.value, undefined);
  // Inside a function followed from its call, the call's argument wins.
  const fn = one('deploy() {\n  gcloud run deploy "${1:-shop-api}" --image gcr.io/p/x\n}\ndeploy shop-worker\n');
  assert.equal(fn.service?.value, 'shop-worker');
});

test('what gcloud refuses, as the command line shows it: a list item that is no NAME=value; not in a string eval reads again, nor flags of two branches of an assembled command', () => {
  const split = one('gcloud run deploy web --set-env-vars "A=1,ORIGINS=https://a.example.com,https://b.example.com"\n');
  assert.deepEqual(split.rejected && { why: split.rejected.why, flag: split.rejected.flag }, { why: 'split', flag: '--set-env-vars' });
  assert.deepEqual(block(split, 'env').split?.refused.map((r) => [r.text, r.after]), [['https://b.example.com', 'ORIGINS']]);
  // `eval` parses the string again: `\"` is a quote by then, not a character of the list.
  const evaluated = one('CMD="gcloud run deploy web"\nCMD="$CMD --set-env-vars \\"$ENV_VARS\\""\neval "$CMD"\n');
  assert.equal(evaluated.rejected, undefined);
  const branches = one('#!/bin/bash\nARGS=(run deploy web)\nif [ -n "$F" ]; then\n  ARGS+=(--env-vars-file="$F")\nelse\n  ARGS+=(--set-env-vars=A=1)\nfi\ngcloud "${ARGS[@]}"\n');
  assert.equal(branches.rejected, undefined);
  const both = one('gcloud run deploy web --env-vars-file env.yaml --set-env-vars A=1\n');
  assert.deepEqual(both.rejected && { why: both.rejected.why, flag: both.rejected.flag, other: both.rejected.other }, { why: 'exclusive', flag: '--set-env-vars', other: '--env-vars-file' });
});

test('cd "$(dirname "$0")/../.." to the workspace root: paths after it are the root\'s, said from the script\'s folder', () => {
  const text = [
    '#!/usr/bin/env bash',
    'cd "$(dirname "$0")/../.."',
    'docker build -f infra/docker/Dockerfile -t us-docker.pkg.dev/acme/apps/api:latest .',
    'gcloud run deploy api --source . --set-env-vars A=1',
    '',
  ].join('\n');
  const facts = emptyFacts('infra/scripts/deploy.sh', 'shell', 'h');
  extractShell(text, facts, { via: 'shell' });
  assert.deepEqual(facts.builds.map((b) => [b.context?.value, b.dockerfile?.value]), [['../..', '../../infra/docker/Dockerfile']]);
  assert.deepEqual(facts.deploys.map((d) => d.source?.value), ['../..']);
});

test("the script's own folder kept in a variable (SCRIPT_DIR=\"$(cd \"$(dirname \"$0\")\" && pwd)\"): paths built on it are said from the script's folder", () => {
  const text = [
    '#!/usr/bin/env bash',
    'SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
    'ROOT_DIR="$(dirname "$SCRIPT_DIR")"',
    'REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"',
    'HERE=$(CDPATH= cd -- "$(dirname -- "$0")" &> /dev/null && pwd)',
    'ELSEWHERE="$(cd ./api && pwd)"',
    'gcloud run deploy api --source "$REPO_ROOT/api" --env-vars-file="${ROOT_DIR}/env.yaml"',
    'gcloud run deploy web --source "$ELSEWHERE" --env-vars-file "$HERE/web.yaml"',
    'gcloud run deploy job --source "$(pwd)/job" --env-vars-file "$(dirname "$CONFIG")/job.yaml"',
    '',
  ].join('\n');
  const facts = emptyFacts('infra/scripts/deploy.sh', 'shell', 'h');
  extractShell(text, facts, { via: 'shell' });
  assert.deepEqual(facts.deploys.map((d) => [d.source?.value, d.envFiles[0]?.value]), [
    ['../../api', '../env.yaml'],
    // `cd ./api` is from where the script was started, `$(pwd)` and a variable's folder unseen.
    [undefined, './web.yaml'],
    [undefined, undefined],
  ]);
  // In a workflow's run: block `$0` is no script of the workspace: nothing is said of its folder.
  const step = emptyFacts('.github/workflows/deploy.yml', 'yaml', 'h');
  extractShell(text, step, { via: 'github-actions' });
  assert.deepEqual(step.deploys.map((d) => d.envFiles[0]?.value), [undefined, undefined, undefined]);
});

test('an if with elif/else parts setting what a command after it reads: one deploy per part that goes on; an if alone, a part that exits, and array appends stay one command', () => {
  const chosen = run([
    'FILENAME=$(basename "$1")',
    'if [[ "$FILENAME" == *"sandbox.env" ]]; then',
    '  PROJECT_ID="acme-sandbox"',
    'elif [[ "$FILENAME" == *"eu.env" ]]; then',
    '  PROJECT_ID="acme-production"',
    'else',
    '  echo "unknown env file"; exit 1',
    'fi',
    'gcloud run deploy api --project=$PROJECT_ID --image=gcr.io/acme/api:latest',
    '',
  ].join('\n'));
  assert.deepEqual(chosen.deploys.map((d) => [d.project?.value, d.instance?.label]), [['acme-sandbox', 'if branch 1'], ['acme-production', 'if branch 2']]);
  // No `else`: the way around the `if` sets nothing, so the command is read once, as before.
  const defaulted = run('if [ -z "$PROJECT_ID" ]; then\n  PROJECT_ID=acme-staging\nfi\ngcloud run deploy api --project=$PROJECT_ID --image=gcr.io/acme/api\n');
  assert.deepEqual(defaulted.deploys.map((d) => d.project?.value), ['acme-staging']);
  // A part that only tests and leaves (`else exit 1`) is no way to the command.
  const guarded = run('if [ "$1" = "prod" ]; then\n  PROJECT_ID=acme-prod\nelse\n  exit 1\nfi\ngcloud run deploy api --project=$PROJECT_ID --image=gcr.io/acme/api\n');
  assert.deepEqual(guarded.deploys.map((d) => d.project?.value), ['acme-prod']);
});

test('a list a command writes (`$(grep -v \'^PORT=\' "$ENV_FILE" | tr \'\\n\' \',\')`): its `=` is the command\'s, so no variable is named and the list is unreadable', () => {
  const d = one('gcloud run deploy api --image=gcr.io/acme/api --set-env-vars $(grep -v \'^PORT=\' "$ENV_FILE" | tr \'\\n\' \',\') --set-secrets DATABASE_URL=db-url:latest\n');
  const env = block(d, 'env');
  assert.deepEqual(env.entries.map((e) => e.name), []);
  assert.match(d.opaque ?? '', /^--set-env-vars \$\(grep/, 'the list may hold any name');
});

test('gcloud builds submit --config F --substitutions: a value that is one variable, or text, is recorded for the image F builds', () => {
  const f = run([
    'IMAGE="europe-docker.pkg.dev/acme/apps/api:$(git rev-parse --short HEAD)"',
    'gcloud builds submit . --config=apps/api/cloudbuild.yaml --substitutions="_IMAGE=${IMAGE},_REGION=europe-west1,_TAG=$(date +%s)"',
    'gcloud run deploy api --image="${IMAGE}"',
    '',
  ].join('\n'));
  assert.deepEqual(f.buildConfigRuns?.map((r) => [r.config.value, r.passed]), [['apps/api/cloudbuild.yaml', [{ name: '_IMAGE', variable: 'IMAGE' }, { name: '_REGION', text: 'europe-west1' }]]]);
});

test('a start script: its execs of background work only, with the value each branch is taken under', () => {
  const facts = emptyFacts('start.sh', 'shell', 'h');
  const script = [
    '#!/bin/bash',
    'if [ "$PROCESS_TYPE" = "worker" ]; then',
    '  exec celery -A app worker',
    'elif [[ "${PROCESS_TYPE}" == \'beat\' ]]; then',
    '  exec celery -A app beat',
    'elif [ "$PROCESS_TYPE" != "flower" ]; then',
    '  exec celery -A app worker -Q slow',
    'else',
    '  exec celery -A app worker -Q other',
    'fi',
    'case "$ROLE" in',
    '  rq|queue) exec rq worker ;;',
    '  "$OTHER") exec rq worker ;;',
    'esac',
    'run() { exec celery -A app worker; }',
    'celery -A app worker &',
    'exec gunicorn app.wsgi:application',
  ].join('\n');
  extractShell(script, facts, { via: 'shell', startedProgram: true });
  assert.deepEqual(facts.backgroundWhen?.map((b) => ({ program: b.program, when: b.when, line: script.slice(0, b.span.start).split('\n').length })), [
    { program: 'celery worker', when: { name: 'PROCESS_TYPE', values: ['worker'] }, line: 3 },
    { program: 'celery beat', when: { name: 'PROCESS_TYPE', values: ['beat'] }, line: 5 },
    { program: 'rq worker', when: { name: 'ROLE', values: ['rq', 'queue'] }, line: 12 },
  ]);
  // Only the server is what the script starts.
  assert.deepEqual(facts.startsProgram, [{ module: 'app.wsgi' }]);
});

test('an array joined into a list (`$(IFS=,; echo "${SECRETS[*]}")`): its elements are the entries, each where it is written', () => {
  const text = [
    'SECRETS=(',
    '    "OPENAI_API_KEY=openai_api_key:latest"',
    '    "GOOGLE_OAUTH_CLIENT_ID=google_oauth_client_id:latest"',
    ')',
    'SECRETS+=("JWT_SECRET_KEY=jwt_secret_key:2")',
    'gcloud run deploy api --image gcr.io/p/api:v1 --set-secrets=$(IFS=,; echo "${SECRETS[*]}") --region us-central1',
    '',
  ].join('\n');
  const d = one(text);
  const secrets = block(d, 'secrets');
  assert.deepEqual(secrets.entries.map((e) => [e.name, at(text, e.nameSpan), at(text, e.span), e.value.kind === 'secret' ? `${e.value.secret}:${e.value.version}` : e.value.kind]), [
    ['OPENAI_API_KEY', 'OPENAI_API_KEY', 'OPENAI_API_KEY=openai_api_key:latest', 'openai_api_key:latest'],
    ['GOOGLE_OAUTH_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_ID', 'GOOGLE_OAUTH_CLIENT_ID=google_oauth_client_id:latest', 'google_oauth_client_id:latest'],
    ['JWT_SECRET_KEY', 'JWT_SECRET_KEY', 'JWT_SECRET_KEY=jwt_secret_key:2', 'jwt_secret_key:2'],
  ]);
  // A new entry goes into the last element, which joins the same.
  assert.equal(apply(text, secrets.insert, 'X=x:1'), text.replace('jwt_secret_key:2"', 'jwt_secret_key:2,X=x:1"'));
  assert.equal(d.opaque, undefined);
  // Another separator, or an array not all known, is no list read.
  const other = one(text.replace('IFS=,', 'IFS=";"'));
  assert.deepEqual(block(other, 'secrets').entries.map((e) => e.name), ['OPENAI_API_KEY']);
  const dynamic = one(text.replace('SECRETS+=("JWT_SECRET_KEY=jwt_secret_key:2")', 'SECRETS+=("$(cat extra.txt)")'));
  assert.notDeepEqual(block(dynamic, 'secrets').entries.map((e) => e.name), ['OPENAI_API_KEY', 'GOOGLE_OAUTH_CLIENT_ID', 'JWT_SECRET_KEY']);
});
