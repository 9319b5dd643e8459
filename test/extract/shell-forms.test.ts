/**
 * Shell deploy forms beyond one literal command: loops, arrays, `case` branches, functions called
 * with the service as an argument, a command assembled in a variable, and Cloud Run functions.
 * Each way a shared command runs is one deploy; spans point at the shared text.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractShell } from '../../server/src/extract/shell';
import { extractFile } from '../../server/src/extract';
import { emptyFacts, type DeployFact, type FileFacts } from '../../server/src/core/facts';

before(ready);

function run(text: string): FileFacts {
  const facts = emptyFacts('deploy.sh', 'shell', 'h');
  extractShell(text, facts, { via: 'shell' });
  assert.deepEqual(facts.problems, []);
  return facts;
}

const summary = (text: string, d: DeployFact) => ({
  service: d.service?.value,
  serviceText: at(text, d.service?.span),
  source: d.source?.value,
  project: d.project?.value,
  instance: d.instance && `${d.instance.label} (${d.instance.of})`,
});

test('a loop over literal items: one deploy per item, spans at the shared command', () => {
  const text = [
    'for svc in api worker; do',
    '  gcloud run deploy "$svc-staging" --source "services/$svc" --set-env-vars "ENVIRONMENT=staging,SERVICE=$svc"',
    'done',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.deploys.map((d) => summary(text, d)), [
    { service: 'api-staging', serviceText: '$svc-staging', source: 'services/api', project: undefined, instance: 'svc=api (2)' },
    { service: 'worker-staging', serviceText: '$svc-staging', source: 'services/worker', project: undefined, instance: 'svc=worker (2)' },
  ]);
  const [a, w] = facts.deploys;
  assert.deepEqual(a.span, w.span, 'both are the one command');
  assert.equal(at(text, a.span)?.startsWith('gcloud run deploy'), true);
  const entry = a.blocks[0].entries.find((e) => e.name === 'SERVICE')!;
  assert.equal(entry.value.kind === 'literal' && entry.value.value, 'api');
  assert.equal(entry.value.kind === 'literal' && at(text, entry.value.span), '$svc', 'the item stands at the expansion');
  assert.equal(a.unresolved, undefined);
});

test('arrays (with +=) and a word-split list feed loops', () => {
  const text = [
    'SERVICES=(api worker)',
    'SERVICES+=("billing")',
    'for s in "${SERVICES[@]}"; do gcloud run deploy "$s" --source "./$s"; done',
    'JOBS="migrate reindex"',
    'for j in $JOBS; do gcloud run jobs deploy "$j" --image "gcr.io/acme/$j"; done',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.deploys.map((d) => [d.platform, d.service?.value, d.instance?.of]), [
    ['cloud-run', 'api', 3], ['cloud-run', 'worker', 3], ['cloud-run', 'billing', 3],
    ['cloud-run-job', 'migrate', 2], ['cloud-run-job', 'reindex', 2],
  ]);
});

test('look-alikes: a loop over computed items stays one unresolved deploy; a loop the command ignores adds nothing', () => {
  const text = [
    'for d in $(ls services); do',
    '  gcloud run deploy "$d" --source "services/$d"',
    'done',
    'for f in deploy/*.env; do echo "$f"; done',
    'for attempt in 1 2 3; do',
    '  gcloud run deploy api --source . && break',
    'done',
  ].join('\n');
  const facts = run(text);
  assert.equal(facts.deploys.length, 2);
  const [computed, retried] = facts.deploys;
  assert.equal(computed.service?.value, undefined);
  assert.equal(at(text, computed.service?.span), '$d');
  assert.match(computed.unresolved ?? '', /^for d in \$\(ls services\): the items are known only at run time$/);
  assert.equal(computed.instance, undefined);
  assert.deepEqual(summary(text, retried), { service: 'api', serviceText: 'api', source: '.', project: undefined, instance: undefined });
  assert.equal(retried.unresolved, undefined, 'a literal service name is resolved whatever the loop');
});

test('a case before the deploy: the deploy is read once per branch that reaches it, with that branch\'s assignments', () => {
  const text = [
    'ENV="${1:-}"',
    'case "$ENV" in',
    '  staging|stg)',
    '    PROJECT=acme-staging',
    '    ;;',
    '  production)',
    '    PROJECT=acme-prod',
    '    ;;',
    '  *)',
    '    echo "usage: deploy.sh staging|production" >&2',
    '    exit 1',
    '    ;;',
    'esac',
    'gcloud run deploy api --source . --project "$PROJECT" --set-env-vars "APP_ENV=$ENV"',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.deploys.map((d) => [d.project?.value, at(text, d.project?.span), d.instance?.label]), [
    ['acme-staging', '$PROJECT', 'ENV=staging'],
    ['acme-prod', '$PROJECT', 'ENV=production'],
  ]);
  const [stg, prod] = facts.deploys;
  // The branch's pattern is a hint, pointing at the pattern.
  assert.deepEqual(stg.environmentHints.map((h) => [h.value, at(text, h.span), h.evidence]), [['staging', 'staging', 'case $ENV branch staging)']]);
  assert.equal(prod.environmentHints[0].value, 'production');
  const env = prod.blocks[0].entries[0];
  assert.equal(env.value.kind === 'literal' && env.value.value, 'production', 'the subject holds the pattern in its branch');
});

test('commands inside case branches see the subject as the pattern; a case the deploy does not depend on adds nothing', () => {
  const text = [
    'case "$1" in',
    '  staging) gcloud run deploy "web-$1" --source web ;;',
    '  prod) gcloud run deploy web-prod --source web --set-env-vars "MODE=$1" ;;',
    'esac',
    'case "$REGION" in',
    '  eu) echo "Europe" ;;',
    '  us) echo "US" ;;',
    'esac',
    'gcloud run deploy docs --source docs',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.deploys.map((d) => [d.service?.value, d.instance, d.environmentHints.map((h) => h.value)]), [
    ['web-staging', undefined, ['staging']],
    ['web-prod', undefined, ['prod']],
    ['docs', undefined, []],
  ]);
});

test('a function called with the service: one deploy per call, $1 bound, globals read where the call is made', () => {
  const text = [
    'deploy() {',
    '  local name="$1"',
    '  gcloud run deploy "$name" --source "services/$name" --region "$REGION" --set-env-vars "TIER=${2:-standard}"',
    '}',
    'REGION=europe-west1',
    'deploy api premium',
    'REGION=us-central1',
    'deploy worker',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.deploys.map((d) => [d.service?.value, at(text, d.service?.span), d.source?.value, d.region?.value, d.instance?.label]), [
    ['api', '$name', 'services/api', 'europe-west1', 'deploy api premium'],
    ['worker', '$name', 'services/worker', 'us-central1', 'deploy worker'],
  ]);
  const tier = (d: DeployFact) => { const v = d.blocks[0].entries[0].value; return v.kind === 'literal' ? v.value : v.kind; };
  assert.deepEqual(facts.deploys.map(tier), ['premium', 'standard']);
});

test('functions called from a loop, never called, or called with a run-time value', () => {
  const text = [
    'ship() { gcloud run deploy "$1" --source "./$1"; }',
    'for s in a b; do ship "$s"; done',
    'unused() { gcloud run deploy "$1-x" --source .; }',
    'roll() { gcloud run deploy "$1" --image "gcr.io/p/$1"; }',
    'roll "$TARGET"',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.deploys.map((d) => [d.service?.value ?? at(text, d.service?.span), d.instance?.label, d.unresolved]), [
    ['a', 's=a, ship a', undefined],
    ['b', 's=b, ship b', undefined],
    ['$1-x', undefined, undefined],
    ['$1', undefined, 'roll is called with a value known only at run time'],
  ]);
});

test('a command assembled in a variable and run with eval: the pieces it reads, with their own spans', () => {
  const text = [
    'SVC=billing',
    'RUN_CMD="gcloud run deploy ${SVC} \\',
    '  --image=us-docker.pkg.dev/acme/apps/${SVC} \\',
    '  --set-env-vars=APP_ENV=production \\',
    '  --set-secrets=SIGNING_KEY=signing-key:latest"',
    'if [ -n "${SQL:-}" ]; then',
    '  RUN_CMD="${RUN_CMD} --add-cloudsql-instances=${SQL}"',
    '  RUN_CMD="$RUN_CMD --set-secrets=DB_URL=db-url:latest"',
    'fi',
    'echo "$RUN_CMD"',
    'eval ${RUN_CMD}',
  ].join('\n');
  const facts = run(text);
  assert.equal(facts.deploys.length, 1, 'echo shows the command, eval runs it');
  const d = facts.deploys[0];
  assert.equal(d.service?.value, 'billing');
  assert.equal(at(text, d.service?.span), '${SVC}');
  assert.equal(d.image?.value, 'us-docker.pkg.dev/acme/apps/billing');
  assert.deepEqual(d.blocks.map((b) => [b.kind, b.entries.map((e) => at(text, e.span))]), [
    ['env', ['APP_ENV=production']],
    ['secrets', ['SIGNING_KEY=signing-key:latest']],
    ['secrets', ['DB_URL=db-url:latest']],
  ]);
  // New entries go into an existing list (inside the string); no new flag is written there.
  assert.equal(d.newEnvBlock, undefined);
  assert.equal(text.slice(d.blocks[0].insert!.offset - 'production'.length, d.blocks[0].insert!.offset), 'production');
});

test('$CMD with extra words, and a variable holding something else', () => {
  const text = [
    'BASE="gcloud run deploy side --source ./side"',
    '$BASE --set-env-vars X=1',
    'NOTE="gcloud is great"',
    'echo $NOTE',
  ].join('\n');
  const facts = run(text);
  assert.equal(facts.deploys.length, 1);
  const d = facts.deploys[0];
  assert.deepEqual([d.service?.value, d.source?.value, at(text, d.blocks[0].entries[0].span)], ['side', './side', 'X=1']);
});

test('gcloud functions deploy: a cloud-function deploy with env flags, secrets and an env-vars file', () => {
  const text = [
    'gcloud functions deploy resize-image --gen2 --runtime python312 --trigger-http \\',
    '  --entry-point resize --source ./functions/resize --region europe-west1 \\',
    '  --set-env-vars BUCKET=thumbs,MAX_PX=2048 --env-vars-file functions/resize/.env.yaml \\',
    '  --update-secrets API_TOKEN=api-token:3',
    'gcloud functions deploy --runtime nodejs20 hook --source hook --no-gen2 --update-env-vars A=1',
    'gcloud functions describe resize-image --gen2',
    'gcloud functions logs read resize-image',
  ].join('\n');
  const facts = run(text);
  assert.equal(facts.deploys.length, 2, 'describe and logs deploy nothing');
  const [fn, hook] = facts.deploys;
  assert.equal(fn.platform, 'cloud-function');
  assert.deepEqual([fn.service?.value, fn.source?.value, fn.region?.value, fn.envFiles[0]?.value], ['resize-image', './functions/resize', 'europe-west1', 'functions/resize/.env.yaml']);
  assert.deepEqual(fn.blocks.map((b) => [b.kind, b.mode, b.entries.map((e) => e.name)]), [['env', 'set', ['BUCKET', 'MAX_PX']], ['secrets', 'update', ['API_TOKEN']]]);
  const token = fn.blocks[1].entries[0].value;
  assert.equal(token.kind === 'secret' && at(text, token.span), 'api-token:3');
  assert.equal(fn.opaque, undefined, '--gen2 and --trigger-http take no value');
  assert.deepEqual([hook.service?.value, hook.blocks[0].mode], ['hook', 'update'], '--runtime takes its value: the name is the next word');
});

test('an alternate-value expansion holding one flag that sets no variable adds nothing unseen; one holding an env flag, or any other word, may', () => {
  const deploy = (extra: string) => run(`gcloud run deploy api --image gcr.io/a/api --set-env-vars "A=1" ${extra}\n`).deploys[0]!;
  assert.equal(deploy('${SQL:+--add-cloudsql-instances=$SQL}').opaque, undefined);
  assert.equal(deploy('${SA:+--service-account $SA}').opaque, undefined);
  assert.match(deploy('${EXTRA:+--update-env-vars=$EXTRA}').opaque ?? '', /EXTRA/);
  assert.match(deploy('$EXTRA_FLAGS').opaque ?? '', /EXTRA_FLAGS/);
});

test('deeply nested command substitutions are read in time linear in the script (fuzz regression)', () => {
  // 300 levels of `$(` took ~6 s: every inner command walked its ancestors through tree-sitter's
  // `parent` (found again from the root each call) and read its substitution-named text anew.
  const depth = 300;
  const text = `deploy() {\n  for svc in api web; do\n    gcloud run deploy "$svc" --image=img${'$('.repeat(depth)}x${')'.repeat(depth)} --region=r\n  done\n}\ndeploy\n`;
  run(text); // warm-up: the parser's first use
  const t0 = performance.now();
  const facts = run(text);
  const ms = performance.now() - t0;
  assert.deepEqual(facts.deploys.map((d) => d.service?.value), ['api', 'web']);
  assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
});

test('a command line handed to a helper with its quotes closed around values is read as the command the helper runs', () => {
  const text = [
    'after_build () {',
    '  local job="${1}"',
    '  local command_line="${2}"',
    '  $command_line',
    '}',
    'after_build "$JOB" "gcloud run deploy storefront \\',
    '    --image "${REGION}-docker.pkg.dev/${PROJ}/shop/storefront:v1" \\',
    '    --update-env-vars "CART_BUCKET=${PROJ}-carts" \\',
    '    --region "${REGION}""',
    // Look-alikes: a printing helper shows the line; a quoted argument that is no gcloud line.
    'log_step "gcloud run deploy shown "${X}" --set-env-vars A=1"',
    'after_build "$JOB" "docker push "${IMG}" --quiet"',
    '',
  ].join('\n');
  const facts = run(text);
  assert.deepEqual(facts.deploys.map((d) => summary(text, d).service), ['storefront']);
  const [d] = facts.deploys;
  assert.equal(at(text, d.service?.span), 'storefront');
  assert.deepEqual(d.blocks.map((b) => [b.mode, at(text, b.keySpan), b.entries.map((e) => at(text, e.nameSpan))]), [['update', '--update-env-vars', ['CART_BUCKET']]]);
  // A new flag goes at the end of the command line, inside the helper's string.
  assert.equal(text.slice(d.newSecretBlock!.offset - 11, d.newSecretBlock!.offset + 1), '"${REGION}""');
});

test('an env or secrets list held in a variable built from NAME=value pieces names what it sets', () => {
  const text = [
    'ACCT=$(gcloud projects describe p --format "value(projectNumber)")',
    'KEYS="SHOP_ID=projects/${ACCT}/secrets/shop_id:latest"',
    'KEYS="${KEYS},SHOP_KEY=projects/${ACCT}/secrets/shop_key:latest"',
    'gcloud run services update storefront --update-secrets "${KEYS}" --region r',
    'gcloud run services update storefront --update-secrets=$KEYS --region r',
    // Look-alikes: a piece computed at run time, a variable never assigned here: unreadable.
    'MORE="A=1,$(cat extra)"',
    'gcloud run services update storefront --update-env-vars "$MORE"',
    'gcloud run services update storefront --update-env-vars "$ELSEWHERE"',
    '',
  ].join('\n');
  const facts = run(text);
  const read = facts.deploys.map((d) => ({ opaque: d.opaque, names: d.blocks.flatMap((b) => b.entries.map((e) => `${e.name}:${e.value.kind}`)) }));
  assert.deepEqual(read, [
    { opaque: undefined, names: ['SHOP_ID:dynamic', 'SHOP_KEY:dynamic'] },
    { opaque: undefined, names: ['SHOP_ID:dynamic', 'SHOP_KEY:dynamic'] },
    { opaque: '--update-env-vars $MORE', names: [] },
    { opaque: '--update-env-vars $ELSEWHERE', names: [] },
  ]);
  // The entries point at the variable the command reads (their own text is elsewhere).
  assert.equal(at(text, facts.deploys[0].blocks[0].entries[0].nameSpan), '"${KEYS}"');
});

test('an env list grown by one conditional append per variable is read whole, however many appends', () => {
  const names = Array.from({ length: 45 }, (_, i) => `LEDGER_VAR_${i}`);
  const text = [
    'ENV_VARS="NODE_ENV=production"',
    ...names.flatMap((n) => [`if [ ! -z "$${n}" ]; then`, `  ENV_VARS="$ENV_VARS,${n}=$${n}"`, 'fi']),
    'gcloud run deploy ledger --image img --set-env-vars "$ENV_VARS"',
    '',
  ].join('\n');
  const [d] = run(text).deploys;
  assert.equal(d.opaque, undefined);
  assert.deepEqual(d.blocks.flatMap((b) => b.entries.map((e) => e.name)), ['NODE_ENV', ...names]);
});

test('a command assembled in a bash array and run as "${CMD[@]}": its elements and appends, with their own spans', () => {
  const text = [
    'SVC=billing',
    'deploy_cmd=(gcloud run deploy "$SVC" --image "us-docker.pkg.dev/acme/apps/${SVC}:1" --region us-central1)',
    'deploy_cmd+=(--set-env-vars "APP_ENV=production")',
    'if [ -n "${SQL:-}" ]; then deploy_cmd+=(--set-secrets "DB_URL=db-url:latest"); fi',
    'echo "${deploy_cmd[@]}"',
    '"${deploy_cmd[@]}" --quiet',
    '',
  ].join('\n');
  const facts = run(text);
  assert.equal(facts.deploys.length, 1, 'echo shows the command, the array expansion runs it');
  const d = facts.deploys[0];
  assert.equal(d.service?.value, 'billing');
  assert.equal(at(text, d.service?.span), '$SVC');
  assert.deepEqual(d.blocks.map((b) => [b.kind, b.entries.map((e) => at(text, e.span))]), [
    ['env', ['APP_ENV=production']],
    ['secrets', ['DB_URL=db-url:latest']],
  ]);
  // An array built from itself (`cmd=("${cmd[@]}" --flag)`) is not followed: nothing is guessed.
  assert.equal(run('cmd=(gcloud run deploy api --image x/api)\ncmd=("${cmd[@]}" --set-env-vars A=1)\n"${cmd[@]}"\n').deploys.length, 0);
});

test('gcloud run over an array of its arguments ("${ARGS[@]}"): the elements and conditional appends are the command', () => {
  const text = [
    'run_deploy() {',
    '  args=(run deploy "$SERVICE"',
    '    --image "$IMAGE"',
    '    --region europe-west1)',
    '  [ -n "$ENV_VARS" ] && args+=(--set-env-vars "$ENV_VARS")',
    '  [ -n "$SECRETS" ] && args+=(--set-secrets "$SECRETS")',
    '  gcloud "${args[@]}" --quiet',
    '}',
    'SERVICE=billing ENV_VARS="APP_ENV=production,LOG_LEVEL=info" SECRETS="DB_URL=db-url:latest" run_deploy',
    '',
  ].join('\n');
  const facts = emptyFacts('deploy.sh', 'shell', 'h');
  extractShell(text, facts, { via: 'shell', variables: { SERVICE: 'billing', ENV_VARS: 'APP_ENV=production,LOG_LEVEL=info', SECRETS: 'DB_URL=db-url:latest', IMAGE: 'x/billing' } });
  assert.equal(facts.deploys.length, 1);
  const d = facts.deploys[0];
  assert.equal(d.service?.value, 'billing');
  assert.equal(at(text, d.service?.span), '$SERVICE');
  assert.deepEqual(d.blocks.map((b) => [b.kind, b.mode, b.entries.map((e) => e.name)]), [
    ['env', 'set', ['APP_ENV', 'LOG_LEVEL']],
    ['secrets', 'set', ['DB_URL']],
  ]);
  // The command's span starts on the array's own line, where the command word stands in for it.
  assert.equal(text.slice(0, d.span.start).split('\n').length, 2);
  // Look-alikes: the array printed, and another program run over it, deploy nothing.
  assert.equal(run('args=(run deploy api --image x/api)\necho "${args[@]}"\nkubectl "${args[@]}"\n').deploys.length, 0);
});

test('extra flags kept in an array and spread at the end of the command ("${FLAGS[@]}", or ${FLAGS[@]+"${FLAGS[@]}"} under set -u) are the command\'s', () => {
  for (const spread of ['"${SECRET_FLAGS[@]}"', '${SECRET_FLAGS[@]+"${SECRET_FLAGS[@]}"}']) {
    const text = [
      'SECRET_FLAGS=()',
      'if [[ -n "${DB_SECRET}" ]]; then',
      '  SECRET_FLAGS+=(--set-secrets="DATABASE_URL=${DB_SECRET}:latest")',
      'fi',
      'gcloud run deploy web --image "$IMAGE" \\',
      '  --set-env-vars="BQ_PROJECT=acme,API_URL=https://api.example.com" \\',
      `  ${spread}`,
      '',
    ].join('\n');
    const d = run(text).deploys[0]!;
    assert.equal(d.opaque, undefined, spread);
    assert.deepEqual(d.blocks.map((b) => [b.kind, b.mode, b.entries.map((e) => e.name)]), [
      ['env', 'set', ['BQ_PROJECT', 'API_URL']],
      ['secrets', 'set', ['DATABASE_URL']],
    ], spread);
  }
  // Look-alike: an array whose contents are not in sight stays unreadable.
  assert.equal(run('gcloud run deploy web --image x/web --set-env-vars A=1 "${EXTRA[@]}"\n').deploys[0]!.opaque, '${EXTRA[@]}');
  // Appends of two branches (an env file, else a list) are no pair gcloud refuses.
  const branches = [
    'ARGS=()',
    'if [ -f "$ENV_FILE" ]; then',
    '  ARGS+=(--env-vars-file "$ENV_FILE")',
    'else',
    '  ARGS+=(--set-env-vars "MODE=live")',
    'fi',
    'gcloud run deploy web --image x/web "${ARGS[@]}"',
    '',
  ].join('\n');
  assert.equal(run(branches).deploys[0]!.rejected, undefined);
});

test('a flag that takes no value never swallows the next flag (`--cpu-boost --set-env-vars=…`)', () => {
  const text = [
    'gcloud run deploy api --source . --cpu-boost --set-env-vars="NODE_ENV=production,PUBLIC_URL=https://api.example.com" \\',
    '  --port 3000 --no-cpu-throttling --set-secrets=API_KEY=api-key:latest',
  ].join('\n');
  const [d] = run(text).deploys;
  assert.deepEqual(d.blocks.map((b) => [b.kind, b.entries.map((e) => e.name)]), [['env', ['NODE_ENV', 'PUBLIC_URL']], ['secrets', ['API_KEY']]]);
});


test('a line continuation inside a word joins the lines into one word; one after a space separates words', () => {
  const text = [
    'gcloud run deploy api --image img \\',
    '--update-secrets=A=a:latest,B=b:latest\\',
    ',C=c:latest\\',
    ',D=d:latest \\',
    '--set-env-vars=E=1',
  ].join('\n');
  const [d] = run(text).deploys;
  assert.deepEqual(d.blocks.map((b) => [b.kind, b.entries.map((e) => e.name)]), [['secrets', ['A', 'B', 'C', 'D']], ['env', ['E']]]);
  // Each entry's span is its own text, on its own line.
  assert.deepEqual(d.blocks[0].entries.map((e) => at(text, e.nameSpan)), ['A', 'B', 'C', 'D']);
  // The same text with the continued lines indented: the shell splits there, and so do we.
  const indented = text.replace(/\n,/g, '\n  ,');
  assert.deepEqual(run(indented).deploys[0].blocks.map((b) => [b.kind, b.entries.map((e) => e.name)]), [['secrets', ['A', 'B']], ['env', ['E']]]);
});

test('in a workflow\'s `run: |` block, a continued line starts after the block\'s indentation, which YAML removes', () => {
  const workflow = (continued: string) => [
    'on: push',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: |',
    '          gcloud run deploy api --image img \\',
    '          --update-secrets=A=a:latest,B=b:latest\\',
    `          ${continued},C=c:latest`,
    '',
  ].join('\n');
  const names = (text: string) => extractFile('.github/workflows/deploy.yml', text).deploys[0].blocks.map((b) => b.entries.map((e) => e.name));
  const text = workflow('');
  assert.deepEqual(names(text), [['A', 'B', 'C']]);
  assert.equal(at(text, extractFile('.github/workflows/deploy.yml', text).deploys[0].blocks[0].entries[2].nameSpan), 'C');
  // Indented past the block: the shell sees the spaces, and the word ends at the line's end.
  assert.deepEqual(names(workflow('  ')), [['A', 'B']]);
});

test('an env file or list from a variable that holds nothing as the script shows it (`X=${X:-}`) is what a caller passes: unknown, not empty', () => {
  const text = [
    'ENV_FILE=${ENV_FILE:-}',
    'SET_SECRETS=${SET_SECRETS:-}',
    'gcloud run deploy api --image img --env-vars-file "${ENV_FILE}" --set-secrets "${SET_SECRETS}"',
  ].join('\n');
  const [d] = run(text).deploys;
  assert.deepEqual(d.envFiles.map((f) => [f.value, f.text]), [[undefined, '${ENV_FILE}']]);
  assert.equal(d.opaque, '--set-secrets ${SET_SECRETS}');
  // With a value in the script, the file and the list are read.
  const [set] = run(text.replace('${ENV_FILE:-}', '${ENV_FILE:-env/prod.yaml}').replace('${SET_SECRETS:-}', '${SET_SECRETS:-A=a:latest}')).deploys;
  assert.deepEqual(set.envFiles.map((f) => f.value), ['env/prod.yaml']);
  assert.equal(set.opaque, undefined);
  assert.deepEqual(set.blocks.map((b) => b.entries.map((e) => e.name)), [['A']]);
});

test('a secret referenced by its version\'s resource name (projects/P/secrets/NAME/versions/V) is the secret NAME at version V', () => {
  const [d] = run('gcloud run deploy api --image gcr.io/acme/api --set-secrets "BOT_NAME=projects/acme/secrets/bot-name/versions/latest,API_KEY=projects/acme/secrets/api-key:3,DB=db-password"\n').deploys;
  assert.deepEqual(d.blocks[0].entries.map((e) => e.value.kind === 'secret' && [e.name, e.value.secret, e.value.version ?? null]), [
    ['BOT_NAME', 'bot-name', 'latest'], ['API_KEY', 'api-key', '3'], ['DB', 'db-password', null],
  ]);
});
