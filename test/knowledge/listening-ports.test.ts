/** The port a server's command line fixes (knowledge/listening-ports.ts): only what the line says. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backgroundOnly, fixedListenPort } from '../../server/src/knowledge/listening-ports';

const port = (line: string | string[]): string | undefined => fixedListenPort(Array.isArray(line) ? line : line.split(' '))?.port;

test('servers that fix a port on the command line', () => {
  assert.equal(port(['uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000']), '8000');
  assert.equal(port('uvicorn app:app --port=8001'), '8001');
  assert.equal(port('/opt/venv/bin/gunicorn -b 0.0.0.0:8000 app:app'), '8000');
  assert.equal(port('python -m gunicorn --bind :8081 app:app'), '8081');
  assert.equal(port('hypercorn --bind [::]:9000 app:app'), '9000');
  assert.equal(port('streamlit run ui/app.py --server.port=8501 --server.address=0.0.0.0'), '8501');
  assert.equal(port('python manage.py runserver 0.0.0.0:8000'), '8000');
  assert.equal(port('next start -p 3000'), '3000');
  assert.equal(port('fastapi run app/main.py --port 8000'), '8000');
  assert.equal(port('waitress-serve --listen=*:8000 app:app'), '8000');
  assert.equal(port(['uv', 'run', 'uvicorn', 'main:app', '--port', '8000']), '8000');
  // A chain: the part that starts the server.
  assert.equal(port(['sh', '-c', 'alembic upgrade head && uvicorn main:app --host 0.0.0.0 --port 8000']), '8000');
  assert.deepEqual(fixedListenPort(['sh', '-c', 'gunicorn -w ${WORKERS:-2} --bind 0.0.0.0:8090 app:app']), { port: '8090', server: 'gunicorn' });
});

test('8080 is a fixed port too: a deploy may send requests to another', () => {
  assert.deepEqual(fixedListenPort('uvicorn app:app --port 8080'.split(' ')), { port: '8080', server: 'uvicorn' });
  assert.equal(port('gunicorn app.wsgi:application --bind 0.0.0.0:8080 --workers 4'), '8080');
});

test('no fixed port: $PORT read anywhere, no port given, a socket, another command\'s argument', () => {
  assert.equal(port('uvicorn app:app --port $PORT'), undefined);
  assert.equal(port(['sh', '-c', 'uvicorn app:app --host 0.0.0.0 --port ${PORT:-8000}']), undefined);
  assert.equal(port(['sh', '-c', 'exec gunicorn --bind :$PORT --workers 1 main:app']), undefined);
  assert.equal(port('uvicorn app:app --host 0.0.0.0'), undefined);
  assert.equal(port('gunicorn app:app -k uvicorn.workers.UvicornWorker'), undefined);
  assert.equal(port('gunicorn -c gunicorn.conf.py app:app'), undefined);
  assert.equal(port('gunicorn --bind unix:/tmp/app.sock app:app'), undefined);
  assert.equal(port('pip install uvicorn'), undefined);
  assert.equal(port('python manage.py migrate'), undefined);
  assert.equal(port('node dist/server.js --port 3000'), undefined);
});

test('background work only: a Celery worker or beat, an RQ worker; not beside a server, a script or flower', () => {
  const bg = (line: string | string[]): string | undefined => backgroundOnly(Array.isArray(line) ? line : line.split(' '));
  assert.equal(bg(['celery', '-A', 'app.worker:celery_app', 'worker', '--loglevel=info']), 'celery worker');
  assert.equal(bg('celery --app=app beat -l info'), 'celery beat');
  assert.equal(bg(['sh', '-c', 'exec celery -A config worker --concurrency 2']), 'celery worker');
  assert.equal(bg('rq worker default'), 'rq worker');
  assert.equal(bg('celery -A app flower --port 5555'), undefined);
  assert.equal(bg(['sh', '-c', 'celery -A app worker & uvicorn main:app --port $PORT']), undefined);
  assert.equal(bg('./start.sh worker'), undefined);
  assert.equal(bg('uvicorn main:app'), undefined);
});
