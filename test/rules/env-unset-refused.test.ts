/**
 * env-unset-for-deploy, deploys gcloud refuses as written: a `NAME=value` list whose item is no
 * `NAME=value` ("Bad syntax for dict arg": most often a value holding the delimiter, a comma-
 * separated list of origins) and flags gcloud accepts only one of. Such a command deploys nothing,
 * so it is reported at the refused item (or the second flag), in every file kind that runs gcloud;
 * the fix names another delimiter (`^@^`) so the items stay in the value they split.
 */
import { before } from 'node:test';
import { ready } from '../helpers';
import { type Files } from '../rule-harness';
import { RuleTester } from '../rule-tester';
import { envUnsetForDeploy } from '../../server/src/rules/env-unset-for-deploy';

before(ready);

const WEB: Files = {
  'services/web/package.json': '{ "name": "web" }\n',
  'services/web/src/cors.ts': "export const origins = process.env.CORS_ORIGIN!.split(',');\n",
};

const ORIGINS = 'https://app.example.com,https://admin.example.com';

const shell = (list: string, folder = 'deploy'): Files => ({
  [`${folder}/deploy-web-staging.sh`]: `#!/usr/bin/env bash
set -euo pipefail
gcloud run deploy web \\
  --source services/web \\
  --project acme-staging \\
  --region europe-west1 \\
  --set-env-vars "${list}"
`,
});

const CLOUDBUILD = (flag: string): Files => ({
  'cloudbuild.yaml': `steps:
  - name: gcr.io/google.com/cloudsdktool/cloud-sdk
    entrypoint: gcloud
    args:
      - run
      - deploy
      - web
      - --source=services/web
      - --project=acme-staging
      - ${flag}
`,
});

const WORKFLOW = (flags: string): Files => ({
  '.github/workflows/deploy.yml': `name: deploy
on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - run: |
          gcloud run services update web \\
            ${flags}
`,
});

const PY_DEPLOY = (list: string): Files => ({
  'scripts/deploy_web.py': `"""Deploy web (production)."""
import subprocess

subprocess.run(
    [
        "gcloud", "run", "deploy", "web",
        "--source", "services/web",
        "--project", "acme-prod",
        "--set-env-vars", "${list}",
    ],
    check=True,
)
`,
});

const MAKEFILE = (list: string): Files => ({
  Makefile: `PROJECT := acme-prod

deploy-web:
\tgcloud run deploy web --source services/web --project $(PROJECT) --set-env-vars ${list}
`,
});

const SPLIT = (delimiter: string, item: string) =>
  new RegExp(`^web is refused by gcloud: --(?:set|update)-env-vars splits at "${delimiter}", so ${item} is no NAME=VALUE$`);

/** The message of a stray `NAME=value` word after the --set-env-vars list. */
const STRAY = (name: string) => new RegExp(`^web is refused by gcloud: ${name}=… is an argument of its own, not part of the --set-env-vars list$`);

/** The fix joining stray `NAME=value` words to the --set-env-vars list; `contains`: the file after it. */
const joinFix = (entries: 'the entry' | 'the 2 entries', file: string, contains: string) => ({
  title: `Join ${entries} to the --set-env-vars list with ","`, safe: true, preferred: true, output: { contains: { [file]: contains }, remaining: [] },
});

RuleTester.run(envUnsetForDeploy, {
  valid: [
    {
      // A flag's value after the list, or the list written in one word: no stray argument.
      name: 'the entries in one word, and a word after the list that is no NAME=value',
      files: { ...WEB, ...CLOUDBUILD(`--set-env-vars\n      - 'NODE_ENV=production,CORS_ORIGIN=https://app.example.com'\n      - --region\n      - europe-west1`) },
      control: { files: { ...WEB, ...CLOUDBUILD(`--set-env-vars\n      - 'NODE_ENV=production'\n      - 'CORS_ORIGIN=https://app.example.com'`) } },
    },
    {
      name: 'another delimiter named (^@^): the commas stay in the value',
      files: { ...WEB, ...shell(`^@^NODE_ENV=production@CORS_ORIGIN=${ORIGINS}`) },
      control: { files: { ...WEB, ...shell(`NODE_ENV=production,CORS_ORIGIN=${ORIGINS}`) } },
    },
    {
      // `$EXTRA_VARS` may expand to `A=1,B=2`: only an item whose text is seen is judged.
      name: 'an item that is a variable we cannot see: it may hold entries',
      files: { ...WEB, ...shell('CORS_ORIGIN=https://app.example.com,$EXTRA_VARS') },
      control: { files: { ...WEB, ...shell(`CORS_ORIGIN=${ORIGINS}`) } },
    },
    {
      name: 'a trailing delimiter: gcloud drops the empty last item',
      files: { ...WEB, ...shell('CORS_ORIGIN=https://app.example.com,') },
      control: { files: { ...WEB, ...shell(`CORS_ORIGIN=${ORIGINS}`) } },
    },
    {
      name: 'the same command kept in documentation: it runs nothing',
      files: { ...WEB, ...shell(`CORS_ORIGIN=${ORIGINS}`, 'docs') },
      control: { files: { ...WEB, ...shell(`CORS_ORIGIN=${ORIGINS}`) } },
    },
    {
      name: 'shell: the list read from a file at run time ($(cat …)): not seen, not judged',
      files: { ...WEB, ...shell('$(cat env_vars.txt)') },
      control: { files: { ...WEB, ...shell(`CORS_ORIGIN=${ORIGINS}`) } },
    },
    {
      // gcloud splits what the shell wrote: a comma inside a substitution's own text (`cut -d,`
      // reading a file) is no item of the list.
      name: 'shell: a value a command writes, no delimiter in its text: one item, accepted',
      files: { ...WEB, ...shell("CORS_ORIGIN=$(cat origins.txt),LOG_LEVEL=$(printf '%s' info)") },
      control: { files: { ...WEB, ...shell("CORS_ORIGIN=$(echo $ORIGINS | tr ' ' ','),LOG_LEVEL=info") } },
    },
    {
      name: 'Python: the list is a variable built elsewhere in the script: its name is no item',
      files: { ...WEB, 'scripts/deploy_web.py': PY_DEPLOY('X')['scripts/deploy_web.py']!.replace('"--set-env-vars", "X"', '"--set-env-vars", env_string') },
      control: { files: { ...WEB, ...PY_DEPLOY(`CORS_ORIGIN=${ORIGINS}`) } },
    },
    {
      // Appends from both branches of an `if` are read as one command: the flags of two branches
      // are no pair gcloud sees.
      name: 'shell: exclusive flags appended in two branches of an if: accepted',
      files: {
        ...WEB,
        'deploy/deploy-web-staging.sh': `#!/usr/bin/env bash
ARGS=(run deploy web --source services/web --project acme-staging)
if [[ -n "\${ENV_FILE:-}" ]]; then
  ARGS+=(--env-vars-file="\${ENV_FILE}")
else
  ARGS+=(--set-env-vars="CORS_ORIGIN=https://app.example.com")
fi
gcloud "\${ARGS[@]}"
`,
      },
      control: {
        files: {
          ...WEB,
          // The same flags on one command line: refused.
          'deploy/deploy-web-staging.sh': `#!/usr/bin/env bash
gcloud run deploy web --source services/web --project acme-staging \\
  --env-vars-file="\${ENV_FILE}" --set-env-vars="CORS_ORIGIN=https://app.example.com"
`,
        },
      },
    },
    {
      name: 'each exclusive flag alone: accepted',
      files: { ...WEB, ...WORKFLOW('--update-env-vars=CORS_ORIGIN=https://app.example.com') },
      control: { files: { ...WEB, ...WORKFLOW('--set-env-vars=NODE_ENV=production --update-env-vars=CORS_ORIGIN=https://app.example.com') } },
    },
  ],
  invalid: [
    {
      // Once the split is mended, gcloud refuses the reserved name: both are said at once.
      name: 'a refused command that also sets a name Cloud Run reserves: both reported',
      files: { ...WEB, ...shell(`PORT=8080,CORS_ORIGIN=${ORIGINS}`) },
      findings: [
        {
          at: 'deploy/deploy-web-staging.sh:7', text: 'PORT', severity: 'error', messageId: 'reservedName',
          message: /^web sets PORT, which Cloud Run reserves and sets itself: the deploy is rejected$/,
          related: [],
          fixes: [{ title: /^Remove PORT/, safe: false, preferred: true, output: { remaining: ['deploy/deploy-web-staging.sh:7'] } }],
        },
        {
          at: 'deploy/deploy-web-staging.sh:7', text: 'https://admin.example.com', severity: 'error', messageId: 'refusedSplit',
          message: SPLIT(',', '"https://admin\\.example\\.com"'),
          related: [{ at: 'deploy/deploy-web-staging.sh:7', text: 'CORS_ORIGIN', message: /^CORS_ORIGIN's value holds the delimiter ","$/ }],
          fixes: [{ title: /^Split the list at "@" instead/, safe: false, preferred: true, output: { remaining: ['deploy/deploy-web-staging.sh:7'] } }],
        },
      ],
    },
    {
      name: 'shell: a comma-separated value in --set-env-vars, reported at the item, the entry it splits related',
      files: { ...WEB, ...shell(`NODE_ENV=production,CORS_ORIGIN=${ORIGINS},LOG_LEVEL=info`) },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:7', text: 'https://admin.example.com', severity: 'error', messageId: 'refusedSplit',
        message: SPLIT(',', '"https://admin\\.example\\.com"'),
        related: [{ at: 'deploy/deploy-web-staging.sh:7', text: 'CORS_ORIGIN', message: /^CORS_ORIGIN's value holds the delimiter ","$/ }],
        fixes: [{
          title: /^Split the list at "@" instead \(\^@\^\)/, safe: false, preferred: true,
          // Once gcloud accepts the deploy, it is the staging deploy and sets what the code reads.
          output: { contains: { 'deploy/deploy-web-staging.sh': `--set-env-vars "^@^NODE_ENV=production@CORS_ORIGIN=${ORIGINS}@LOG_LEVEL=info"\n` }, remaining: [] },
        }],
      }],
    },
    {
      // gcloud reads one argument, the service: an entry written as a word of its own after the
      // list fails the command ("unrecognized arguments"). The fix joins it to the list.
      name: 'Cloud Build args: the list continued in an item of its own, reported at the stray item, joined by the fix',
      files: { ...WEB, ...CLOUDBUILD(`--set-env-vars\n      - 'NODE_ENV=production'\n      - 'CORS_ORIGIN=https://app.example.com'`) },
      findings: [{
        at: 'cloudbuild.yaml:12', text: "'CORS_ORIGIN=https://app.example.com'", severity: 'error', messageId: 'refusedStray',
        message: STRAY('CORS_ORIGIN'),
        related: [],
        fixes: [joinFix('the entry', 'cloudbuild.yaml', "      - 'NODE_ENV=production,CORS_ORIGIN=https://app.example.com'\n")],
      }],
    },
    {
      name: 'shell: two entries after the list, each a word of its own: one finding, both joined',
      files: { ...WEB, ...shell('NODE_ENV=production" "LOG_LEVEL=info" "CORS_ORIGIN=https://app.example.com') },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:7', text: '"LOG_LEVEL=info"', severity: 'error', messageId: 'refusedStray',
        message: STRAY('LOG_LEVEL'),
        related: [],
        fixes: [joinFix('the 2 entries', 'deploy/deploy-web-staging.sh', '--set-env-vars "NODE_ENV=production,LOG_LEVEL=info,CORS_ORIGIN=https://app.example.com"\n')],
      }],
    },
    {
      // `A=1,\` then an indented `B=$B,\`: the line continues, but the indentation splits the words.
      name: 'shell: a list continued over indented lines, each ending with its comma: refused, joined without doubling the commas',
      files: {
        ...WEB,
        'deploy/deploy-web-staging.sh': [
          '#!/usr/bin/env bash',
          'gcloud run deploy web --source services/web --project acme-staging \\',
          '    --set-env-vars \\',
          '        NODE_ENV=production,\\',
          '        CORS_ORIGIN=$ORIGIN,\\',
          '        LOG_LEVEL=info',
          '',
        ].join('\n'),
      },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:5', text: 'CORS_ORIGIN=$ORIGIN,', severity: 'error', messageId: 'refusedStray',
        message: STRAY('CORS_ORIGIN'),
        related: [],
        fixes: [joinFix('the 2 entries', 'deploy/deploy-web-staging.sh', '    --set-env-vars \\\n        NODE_ENV=production,CORS_ORIGIN=$ORIGIN,LOG_LEVEL=info\n')],
      }],
    },
    {
      name: 'Python deploy script: an entry as an item of its own in the command list',
      files: { ...WEB, ...PY_DEPLOY('NODE_ENV=production", "CORS_ORIGIN=https://app.example.com') },
      findings: [{
        at: 'scripts/deploy_web.py:9', text: '"CORS_ORIGIN=https://app.example.com"', severity: 'error', messageId: 'refusedStray',
        message: STRAY('CORS_ORIGIN'),
        related: [],
        fixes: [joinFix('the entry', 'scripts/deploy_web.py', '"--set-env-vars", "NODE_ENV=production,CORS_ORIGIN=https://app.example.com",\n')],
      }],
    },
    {
      // Joined, the comma in the stray entry's value would split it: no fix.
      name: 'shell: a stray entry whose value holds the delimiter: refused, no fix',
      files: { ...WEB, ...shell(`NODE_ENV=production" "CORS_ORIGIN=${ORIGINS}`) },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:7', severity: 'error', messageId: 'refusedStray',
        message: STRAY('CORS_ORIGIN'),
        related: [],
        fixes: [],
      }],
    },
    {
      name: 'Cloud Build args: the flag and its list in one item',
      files: { ...WEB, ...CLOUDBUILD(`--set-env-vars=CORS_ORIGIN=${ORIGINS}`) },
      findings: [{
        at: 'cloudbuild.yaml:10', text: 'https://admin.example.com', severity: 'error', messageId: 'refusedSplit',
        message: SPLIT(',', '"https://admin\\.example\\.com"'),
        related: ['cloudbuild.yaml:10'],
        fixes: [{ title: /^Split the list at "@"/, safe: false, preferred: true, output: { contains: { 'cloudbuild.yaml': `      - --set-env-vars=^@^CORS_ORIGIN=${ORIGINS}\n` }, remaining: [] } }],
      }],
    },
    {
      name: 'GitHub Actions run script: an update refused the same way',
      files: { ...WEB, ...WORKFLOW(`--update-env-vars "CORS_ORIGIN=${ORIGINS}"`) },
      findings: [{
        at: '.github/workflows/deploy.yml:10', text: 'https://admin.example.com', severity: 'error', messageId: 'refusedSplit',
        message: SPLIT(',', '"https://admin\\.example\\.com"'),
        related: ['.github/workflows/deploy.yml:10'],
        fixes: [{ title: /^Split the list at "@"/, safe: false, preferred: true, output: { contains: { '.github/workflows/deploy.yml': `--update-env-vars "^@^CORS_ORIGIN=${ORIGINS}"\n` } } }],
      }],
    },
    {
      name: 'Python deploy script: the list is one item of the command list',
      files: { ...WEB, ...PY_DEPLOY(`CORS_ORIGIN=${ORIGINS}`) },
      findings: [{
        at: 'scripts/deploy_web.py:9', text: 'https://admin.example.com', severity: 'error', messageId: 'refusedSplit',
        message: SPLIT(',', '"https://admin\\.example\\.com"'),
        related: ['scripts/deploy_web.py:9'],
        fixes: [{ title: /^Split the list at "@"/, safe: false, preferred: true, output: { contains: { 'scripts/deploy_web.py': `"--set-env-vars", "^@^CORS_ORIGIN=${ORIGINS}",\n` }, remaining: [] } }],
      }],
    },
    {
      name: 'Makefile recipe: make variables beside it, the list unquoted',
      files: { ...WEB, ...MAKEFILE(`CORS_ORIGIN=${ORIGINS}`) },
      findings: [{
        at: 'Makefile:4', text: 'https://admin.example.com', severity: 'error', messageId: 'refusedSplit',
        message: SPLIT(',', '"https://admin\\.example\\.com"'),
        related: ['Makefile:4'],
        fixes: [{ title: /^Split the list at "@"/, safe: false, preferred: true, output: { contains: { Makefile: `--set-env-vars ^@^CORS_ORIGIN=${ORIGINS}\n` }, remaining: [] } }],
      }],
    },
    {
      // An address holds the delimiter that was meant to protect the commas: the next free one is used.
      name: 'a named delimiter that a value holds (an e-mail under ^@^): refused; the fix picks one no value holds',
      files: { ...WEB, ...shell(`^@^CORS_ORIGIN=${ORIGINS}@CONTACT=ops@example.com`) },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:7', text: 'example.com', severity: 'error', messageId: 'refusedSplit',
        message: SPLIT('@', '"example\\.com"'),
        related: [{ at: 'deploy/deploy-web-staging.sh:7', text: 'CONTACT', message: /^CONTACT's value holds the delimiter "@"$/ }],
        fixes: [{ title: /^Split the list at "~"/, safe: false, preferred: true, output: { contains: { 'deploy/deploy-web-staging.sh': `--set-env-vars "^~^CORS_ORIGIN=${ORIGINS}~CONTACT=ops@example.com"\n` }, remaining: [] } }],
      }],
    },
    {
      // The item may be part of a key: the message names whose value it splits, never its text.
      name: 'a secret-like value split: its text stays out of the message',
      files: { ...WEB, ...shell(`CORS_ORIGIN=https://app.example.com,API_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dc,Xq91`) },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:7', text: 'Xq91', severity: 'error', messageId: 'refusedSplit',
        message: /^web is refused by gcloud: --set-env-vars splits at ",", so a part of API_KEY's value is no NAME=VALUE$/,
        related: ['deploy/deploy-web-staging.sh:7'],
        fixes: [{ title: /^Split the list at "@"/, safe: false, preferred: true }],
      }],
    },
    {
      // A value filled in at run time may hold `@` (an address): the fix takes `~` first.
      name: 'a list with a value filled in at run time: the fix names a delimiter such values hold least',
      files: { ...WEB, ...shell(`CONTACT=$OPS_EMAIL,CORS_ORIGIN=${ORIGINS}`) },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:7', text: 'https://admin.example.com', severity: 'error', messageId: 'refusedSplit',
        message: SPLIT(',', '"https://admin\\.example\\.com"'),
        related: [{ at: 'deploy/deploy-web-staging.sh:7', text: 'CORS_ORIGIN', message: /^CORS_ORIGIN's value holds the delimiter ","$/ }],
        fixes: [{ title: /^Split the list at "~"/, safe: false, preferred: true, output: { contains: { 'deploy/deploy-web-staging.sh': `--set-env-vars "^~^CONTACT=$OPS_EMAIL~CORS_ORIGIN=${ORIGINS}"\n` } } }],
      }],
    },
    {
      // `tr ' ' ','` makes a list: what gcloud gets is `CORS_ORIGIN=a,b`, its output unseen. Never
      // an item cut out of the substitution's own text (`')`).
      name: 'shell: a value a command writes whose text holds the delimiter: most likely refused, a warning naming the command',
      files: { ...WEB, ...shell("CORS_ORIGIN=$(echo $ORIGINS | tr ' ' ','),LOG_LEVEL=info") },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:7', text: "$(echo $ORIGINS | tr ' ' ',')", severity: 'warning', messageId: 'refusedSplitWritten',
        message: /^web is most likely refused by gcloud: the command writing CORS_ORIGIN puts "," in it, where --set-env-vars splits$/,
        related: [],
        fixes: [{
          title: /^Split the list at "~"/, safe: false, preferred: true,
          output: { contains: { 'deploy/deploy-web-staging.sh': `--set-env-vars "^~^CORS_ORIGIN=$(echo $ORIGINS | tr ' ' ',')~LOG_LEVEL=info"\n` }, remaining: [] },
        }],
      }],
    },
    {
      // A bare name is a value forgotten, not a value split: no guess at which it was.
      name: 'a bare name in the list: refused, no fix',
      files: { ...WEB, ...shell('CORS_ORIGIN=https://app.example.com,DEBUG') },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:7', text: 'DEBUG', severity: 'error', messageId: 'refusedSplit',
        message: SPLIT(',', '"DEBUG"'), related: ['deploy/deploy-web-staging.sh:7'], fixes: [],
      }],
    },
    {
      // The shell expands the variable before gcloud splits the list: its default holds commas.
      name: 'shell: a variable whose value holds commas, expanded into the list: refused, no fix (the text is not in the list)',
      files: {
        ...WEB,
        'deploy/deploy-web-staging.sh': `#!/usr/bin/env bash
ORIGINS="\${ORIGINS:-${ORIGINS}}"
gcloud run deploy web --source services/web --project acme-staging \\
  --set-env-vars="LOG_LEVEL=info,CORS_ORIGIN=\${ORIGINS}"
`,
      },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:4', severity: 'error', messageId: 'refusedSplit',
        message: SPLIT(',', '"https://admin\\.example\\.com"'),
        // Where the value was given is what to change: the assignment.
        related: [{ at: 'deploy/deploy-web-staging.sh:2', message: /^ORIGINS is given a value holding "," here$/ }],
        fixes: [],
      }],
    },
    {
      // An array's elements are the words gcloud gets: a list item refused there is refused.
      name: 'shell: a command kept in an array (gcloud "\${ARGS[@]}"), a variable with commas in its list: refused',
      files: {
        ...WEB,
        'deploy/deploy-web-staging.sh': `#!/usr/bin/env bash
ORIGINS="\${ORIGINS:-${ORIGINS}}"
ARGS=(
  run deploy web
  --source services/web
  --project acme-staging
  --set-env-vars="LOG_LEVEL=info,CORS_ORIGIN=\${ORIGINS}"
)
if [[ -n "\${EXTRA_SECRETS:-}" ]]; then
  ARGS+=(--set-secrets="\${EXTRA_SECRETS}")
fi
gcloud "\${ARGS[@]}"
`,
      },
      findings: [{
        at: 'deploy/deploy-web-staging.sh:7', severity: 'error', messageId: 'refusedSplit',
        message: SPLIT(',', '"https://admin\\.example\\.com"'), related: [], fixes: [],
      }],
    },
    {
      name: 'flags gcloud accepts only one of: reported at the second, no fix',
      files: { ...WEB, ...WORKFLOW('--set-env-vars=NODE_ENV=production --update-env-vars=CORS_ORIGIN=https://app.example.com') },
      findings: [{
        at: '.github/workflows/deploy.yml:10', text: '--update-env-vars', severity: 'error', messageId: 'refusedExclusive',
        message: /^web is refused by gcloud: it takes --set-env-vars or --update-env-vars, not both$/, related: [], fixes: [],
      }],
    },
  ],
});
