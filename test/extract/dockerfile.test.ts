import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFile } from '../../server/src/extract/index';
import { at } from '../helpers';

test('a Dockerfile: context copies (not other stages), and the module or script the container runs', () => {
  const text = [
    'FROM python:3.12-slim AS base',
    'WORKDIR /srv',
    'COPY requirements.txt .',
    'COPY --chown=app:app billing/ ./billing/',
    'FROM node:20 AS assets',
    'COPY --from=base /srv/billing /tmp/billing',
    'ADD https://example.com/ca.pem /etc/ca.pem',
    'CMD ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "billing.api:create_app()", "--bind", ":8080"]',
    '',
  ].join('\n');
  const f = extractFile('ops/images/billing.Dockerfile', text);
  assert.equal(f.kind, 'dockerfile');
  assert.deepEqual(f.dockerfile?.copies.map((c) => [c.source, c.dest]), [['requirements.txt', '.'], ['billing/', './billing/']]);
  assert.deepEqual(f.dockerfile?.runs.map((r) => r.module), ['billing.api']);
  assert.equal(at(text, f.dockerfile?.runs[0].span), text.split('\n')[7]);
});

test('shell-form commands: python -m, sh -c, node scripts, uvicorn through python -m; nothing for unknown programs', () => {
  const run = (cmd: string) => extractFile('Dockerfile', `FROM x\nWORKDIR /app\nCOPY . .\n${cmd}\n`).dockerfile?.runs[0];
  assert.deepEqual({ ...run('CMD python -m ledger.worker --queue default'), span: undefined }, { module: 'ledger.worker', workdir: '/app', span: undefined });
  assert.equal(run('ENTRYPOINT ["sh", "-c", "exec uvicorn portal.main:app --port $PORT"]')?.module, 'portal.main');
  assert.equal(run('CMD ["python", "-m", "uvicorn", "portal.main:app"]')?.module, 'portal.main');
  assert.equal(run('CMD ["node", "dist/server.js"]')?.script, 'dist/server.js');
  assert.equal(run('CMD python manage.py runserver')?.script, 'manage.py');
  // A shell script: what it starts is the script's own (FileFacts.startsProgram).
  assert.equal(run('CMD ["./start.sh"]')?.shellScript, './start.sh');
  assert.equal(run('CMD ["sh", "scripts/entry.sh"]')?.shellScript, 'scripts/entry.sh');
  assert.equal(run('CMD ["/usr/local/bin/some-binary", "--serve"]'), undefined);
});

test('what a command starts: a preloaded module is no program, a chain runs its last part, a package script is named', () => {
  const run = (cmd: string) => extractFile('Dockerfile', `FROM x\nWORKDIR /app\nCOPY . .\n${cmd}\n`).dockerfile?.runs[0];
  assert.equal(run('CMD ["node", "--import", "./dist/instrumentation.js", "dist/main.js"]')?.script, 'dist/main.js');
  assert.equal(run('CMD ["node", "-r", "dotenv/config", "--enable-source-maps", "dist/index.js"]')?.script, 'dist/index.js');
  // The migration before it prepares the program; the server is what runs.
  assert.equal(run('CMD ["sh", "-c", "npx prisma migrate deploy && node dist/server.js"]')?.script, 'dist/server.js');
  assert.equal(run('CMD ["sh", "-c", "python manage.py migrate && gunicorn shop.wsgi:application"]')?.module, 'shop.wsgi');
  assert.equal(run('CMD ["npm", "start"]')?.packageScript, 'start');
  assert.equal(run('CMD ["npm", "run", "start:prod"]')?.packageScript, 'start:prod');
  assert.equal(run('CMD yarn serve')?.packageScript, 'serve');
  // `npm install` starts nothing.
  assert.equal(run('CMD ["npm", "install"]'), undefined);
  // The shell drops a word's quotes: a quoted app argument over continued lines is the module.
  assert.equal(run('CMD exec gunicorn \\\n    --bind :$PORT \\\n    --workers ${WORKERS:-2} \\\n    "app.main:app"')?.module, 'app.main');
  assert.equal(run("CMD gunicorn 'reports.wsgi:application'")?.module, 'reports.wsgi');
  // A quote that is not the whole word stays (`"app.main:app` is no module path).
  assert.equal(run('CMD gunicorn "app.main:app')?.module, undefined);
  // A project tool running a command in its environment (`uv run`, `poetry run`, `npx`): the command.
  assert.equal(run('CMD uv run gunicorn --bind 0.0.0.0:$PORT --worker-class uvicorn.workers.UvicornWorker travel.main:app')?.module, 'travel.main');
  assert.equal(run('CMD ["uv", "run", "--no-sync", "--python", "3.12", "python", "-m", "worker"]')?.module, 'worker');
  assert.equal(run('CMD ["poetry", "run", "uvicorn", "api.app:app"]')?.module, 'api.app');
  assert.equal(run('CMD ["pipenv", "run", "python", "main.py"]')?.script, 'main.py');
  assert.equal(run('CMD ["npx", "tsx", "src/server.ts"]')?.script, 'src/server.ts');
  // `uv sync`, `poetry install`: nothing started.
  assert.equal(run('CMD ["uv", "sync"]'), undefined);
});

test('package.json: what its scripts start, where a script starts a program', () => {
  const f = extractFile('api/package.json', JSON.stringify({
    scripts: { start: 'node dist/server.js', 'start:dev': 'tsx watch src/server.ts', build: 'tsc -p .', migrate: 'npm run db:push', serve: 'NODE_ENV=production node --enable-source-maps build/index.js' },
  }));
  assert.deepEqual(f.scriptRuns, { start: { script: 'dist/server.js' }, 'start:dev': { script: 'src/server.ts' }, serve: { script: 'build/index.js' } });
});

test('a malformed Dockerfile gives what it can and never throws', () => {
  const f = extractFile('Dockerfile', 'FROM\nCOPY\nCMD [\"unterminated\nWORKDIR\n\0\0');
  assert.deepEqual(f.problems, []);
});

test('ARG names, and whether the container starts a script that may rewrite its files from the environment', () => {
  const df = (text: string) => extractFile('web/Dockerfile', text).dockerfile;
  const built = df('FROM node:20 AS build\nARG VITE_API_URL=http://localhost:8004 VITE_SENTRY_DSN\nCOPY . .\nRUN npm run build\nFROM nginx:alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n');
  assert.deepEqual(built?.args, ['VITE_API_URL', 'VITE_SENTRY_DSN']);
  assert.equal(built?.startupScript, undefined);
  assert.equal(df('FROM nginx\nCOPY env.sh /docker-entrypoint.d/40-env.sh\n')?.startupScript, true);
  assert.equal(df('FROM node:20\nCOPY . .\nENTRYPOINT ["/app/start.sh"]\n')?.startupScript, true);
  assert.equal(df('FROM nginx\nCOPY . .\nCMD ["/bin/sh", "-c", "envsubst < /t/app.js > /usr/share/nginx/html/app.js && nginx -g \'daemon off;\'"]\n')?.startupScript, true);
});

test('ENV names of the last stage, with a value of their own (not only a build argument, not empty)', () => {
  const src = [
    'FROM node:20 AS build',
    'ENV BUILD_ONLY=1',
    'ARG API_URL',
    'FROM node:20-alpine AS runner',
    'ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1',
    'ENV LEGACY_FORM some value',
    'ENV API_URL=$API_URL',
    'ENV QUOTED="${API_URL}"',
    'ENV EMPTY=""',
    'ENV PATH=/app/bin:$PATH',
    'CMD ["node", "server.js"]',
    '',
  ].join('\n');
  const f = extractFile('Dockerfile', src);
  assert.deepEqual(f.dockerfile?.env, ['NODE_ENV', 'NEXT_TELEMETRY_DISABLED', 'LEGACY_FORM', 'PATH']);
  // With their values, quotes dropped, each at its name.
  const text = f.dockerfile!.envValues!.map((e) => [e.name, e.value]);
  assert.deepEqual(text, [['NODE_ENV', 'production'], ['NEXT_TELEMETRY_DISABLED', '1'], ['LEGACY_FORM', 'some value'], ['PATH', '/app/bin:$PATH']]);
  assert.equal(at(src, f.dockerfile!.envValues![2]!.span), 'LEGACY_FORM');
  // A name the last stage sets, then sets to a build argument only: the argument decides.
  const g = extractFile('Dockerfile', 'FROM python:3.12\nENV MODE=api\nENV MODE=$MODE\n');
  assert.equal(g.dockerfile?.env, undefined);
});

test('a stage built on another (`FROM base AS runner`) starts with its ENV; every stage\'s ENV is what a build step sees', () => {
  const f = extractFile('Dockerfile', [
    'FROM node:20 AS base',
    'ENV NODE_ENV=production',
    'FROM base AS builder',
    'ENV NEXT_PUBLIC_API_URL=https://api.example.com',
    'RUN npm run build',
    'FROM base AS runner',
    'ENV HOSTNAME=0.0.0.0',
    'CMD ["node", "server.js"]',
    '',
  ].join('\n'));
  assert.deepEqual(f.dockerfile?.env, ['NODE_ENV', 'HOSTNAME']);
  assert.deepEqual(f.dockerfile?.buildEnv, ['NODE_ENV', 'NEXT_PUBLIC_API_URL', 'HOSTNAME']);
});

test('several stages: the image runs the last stage\'s command, or the one it inherits; a copy remembers the working directory it lands in', () => {
  const text = [
    'FROM node:20-slim AS web',
    'WORKDIR /frontend',
    'COPY frontend/ .',
    'RUN npm ci && npm run build',
    'CMD ["node", "server.js"]',
    'FROM python:3.12-slim AS base',
    'WORKDIR /app',
    'COPY . .',
    'CMD ["uvicorn", "app:app"]',
    'FROM base AS dev',
    'CMD ["python", "-m", "pytest", "tests/"]',
    'FROM base AS prod',
    'ENV APP_MODE=prod',
  ].join('\n');
  const f = extractFile('Dockerfile', text);
  // prod sets no command: it inherits base's, not dev's nor web's.
  assert.deepEqual(f.dockerfile?.runs.map((r) => r.module ?? r.script), ['app']);
  assert.deepEqual(f.dockerfile?.copies.map((c) => [c.source, c.dest, c.workdir]), [['frontend/', '.', '/frontend'], ['.', '.', '/app']]);
  // A last stage with a command of its own runs that one.
  assert.deepEqual(extractFile('Dockerfile', `${text}\nCMD ["gunicorn", "wsgi:app"]\n`).dockerfile?.runs.map((r) => r.module), ['wsgi']);
  // Each named stage's command is kept for a build that targets it.
  const stages = f.dockerfile?.stageRuns ?? {};
  assert.deepEqual(Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, v.map((r) => r.module ?? r.script)])), { web: ['server.js'], base: ['app'], dev: ['pytest'], prod: ['app'] });
});

test('copies into a stage the running image is not built on are marked; copies into its bases are not', () => {
  const text = [
    'FROM node:20 AS web', 'WORKDIR /web', 'COPY frontend/ .', 'RUN npm run build',
    'FROM python:3.12-slim AS base', 'WORKDIR /app', 'COPY requirements.txt .',
    'FROM base AS api', 'COPY backend/ ./backend/', 'COPY --from=web /web/build ./static', 'CMD ["uvicorn", "backend.main:app"]', '',
  ].join('\n');
  const copies = extractFile('Dockerfile', text).dockerfile?.copies.map((c) => `${c.source}${c.builderStage ? ' (builder)' : ''}`);
  assert.deepEqual(copies, ['frontend/ (builder)', 'requirements.txt', 'backend/']);
  // One stage: nothing is a builder's.
  assert.deepEqual(extractFile('Dockerfile', 'FROM python:3.12\nCOPY app/ ./app/\nCMD ["python", "-m", "app"]\n').dockerfile?.copies.map((c) => c.builderStage), [undefined]);
});

test('the fixed port the running image\'s server listens on: the last stage\'s command or the one it inherits, never a builder\'s', () => {
  const listens = (text: string) => {
    const f = extractFile('Dockerfile', text).dockerfile?.listens;
    return f && { port: f.port, server: f.server, line: at(text, f.span) };
  };
  assert.deepEqual(listens('FROM python:3.12\nCOPY . .\nCMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]\n'),
    { port: '8000', server: 'uvicorn', line: 'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]' });
  // Inherited from the stage it is built on.
  assert.equal(listens('FROM python:3.12 AS base\nCMD gunicorn -b 0.0.0.0:5000 app:app\nFROM base AS prod\nCOPY . .\n')?.port, '5000');
  // A builder stage's dev server is not what runs.
  assert.equal(listens('FROM node:20 AS build\nCMD ["next", "dev", "-p", "3000"]\nFROM nginx:1.27\nCOPY --from=build /app/out /usr/share/nginx/html\n'), undefined);
  assert.equal(listens('FROM python:3.12\nCMD uvicorn main:app --host 0.0.0.0 --port ${PORT:-8000}\n'), undefined);
});
