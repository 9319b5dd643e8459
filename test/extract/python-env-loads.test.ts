/**
 * Start-up code that loads variables from something a deploy provides whole (a variable holding
 * an env file, a mounted secret file): `EnvLoadFact`s with exact spans, and look-alikes that load
 * nothing a deploy provides.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, at } from '../helpers';
import { extractFile } from '../../server/src/extract/index';
import { pythonCodeMayMatter } from '../../server/src/extract/python/index';
import { defaultExtractOptions } from '../../server/src/extract/options';

before(ready);

const loads = (text: string) => (extractFile('svc/boot.py', text).envLoads ?? []).map((l) => ({ from: l.from, name: l.name, path: l.path, via: l.via, text: at(text, l.span) }));

test('dotenv given a variable\'s contents through a stream', () => {
  const text = 'import io, os\nfrom dotenv import load_dotenv\nload_dotenv(stream=io.StringIO(os.environ["SETTINGS_BLOB"]))\n';
  assert.deepEqual(loads(text), [{ from: 'variable', name: 'SETTINGS_BLOB', path: undefined, via: 'load_dotenv', text: 'load_dotenv(stream=io.StringIO(os.environ["SETTINGS_BLOB"]))' }]);
});

test('dotenv given a variable\'s contents bound to a name first', () => {
  const text = 'import io, os\nimport dotenv\nblob = os.getenv("SETTINGS_BLOB")\nif blob:\n    dotenv.load_dotenv(stream=io.StringIO(blob))\n';
  assert.deepEqual(loads(text).map((l) => [l.from, l.name, l.text]), [['variable', 'SETTINGS_BLOB', 'dotenv.load_dotenv(stream=io.StringIO(blob))']]);
});

test('a file at a literal path, and django-environ\'s read_env', () => {
  const text = 'import environ\nfrom dotenv import load_dotenv\nload_dotenv("/run/conf/app.env")\nenviron.Env.read_env(env_file="/run/conf/other.env")\n';
  assert.deepEqual(loads(text).map((l) => [l.from, l.path, l.via, l.text]), [
    ['file', '/run/conf/app.env', 'load_dotenv', 'load_dotenv("/run/conf/app.env")'],
    ['file', '/run/conf/other.env', 'read_env', 'environ.Env.read_env(env_file="/run/conf/other.env")'],
  ]);
});

test('a file whose path a variable holds', () => {
  const text = 'import os\nfrom dotenv import load_dotenv\nload_dotenv(os.environ["CONF_PATH"])\n';
  assert.deepEqual(loads(text).map((l) => [l.from, l.name, l.path]), [['file', 'CONF_PATH', undefined]]);
});

test('a loop writing each line of a variable into os.environ', () => {
  const text = [
    'import os',
    'if os.environ.get("K_SERVICE"):',
    '    packed = os.environ.get("PACKED_SETTINGS")',
    '    if packed:',
    '        for row in packed.splitlines():',
    '            k, _, v = row.partition("=")',
    '            if k not in os.environ:',
    '                os.environ[k.strip()] = v.strip()',
    '',
  ].join('\n');
  const got = loads(text);
  assert.equal(got.length, 1);
  assert.deepEqual([got[0].from, got[0].name, got[0].via], ['variable', 'PACKED_SETTINGS', 'a loop writing os.environ']);
  assert.ok(got[0].text!.startsWith('for row in packed.splitlines():') && got[0].text!.endsWith('os.environ[k.strip()] = v.strip()'));
});

test('a loop writing each line of a Secret Manager secret the code fetches itself into os.environ', () => {
  const text = [
    'import os',
    'from google.cloud import secretmanager',
    'def boot(secret_id):',
    '    client = secretmanager.SecretManagerServiceClient()',
    '    response = client.access_secret_version(request={"name": secret_id})',
    '    content = response.payload.data.decode("UTF-8")',
    '    for line in content.splitlines():',
    '        key, value = line.split("=", 1)',
    '        os.environ[key] = value',
    // Look-alike: lines of a local file are nothing a deploy or a secret provides.
    'def local(path):',
    '    content = open(path).read()',
    '    for line in content.splitlines():',
    '        key, value = line.split("=", 1)',
    '        os.environ[key] = value',
  ].join('\n');
  assert.deepEqual(loads(text).map((l) => [l.from, l.name, l.via]), [['secret-manager', undefined, 'a loop writing os.environ from a Secret Manager secret']]);
});

test('Django on Cloud Run: settings read from a Secret Manager payload handed to read_env, in an elif at module level', () => {
  const text = [
    'import io, os',
    'import environ',
    'from google.cloud import secretmanager',
    'env = environ.Env(DEBUG=(bool, False))',
    'if os.path.isfile(".env"):',
    '    env.read_env(".env")',
    'elif os.environ.get("GOOGLE_CLOUD_PROJECT", None):',
    '    client = secretmanager.SecretManagerServiceClient()',
    '    payload = client.access_secret_version(name="projects/p/secrets/app_settings/versions/latest").payload.data.decode("UTF-8")',
    '    env.read_env(io.StringIO(payload))',
    'SECRET_KEY = env("SECRET_KEY")',
  ].join('\n');
  assert.deepEqual(loads(text).map((l) => [l.from, l.via, l.text]), [
    ['file', 'read_env', 'env.read_env(".env")'],
    ['secret-manager', 'read_env', 'env.read_env(io.StringIO(payload))'],
  ]);
});

test('the same Django setup with the fetch inside a `try:` of the `elif` (two levels deep at module level)', () => {
  const text = [
    'import io, os',
    'import environ',
    'from google.cloud import secretmanager',
    'env = environ.Env()',
    'project_id = os.environ.get("GOOGLE_CLOUD_PROJECT")',
    'if os.path.isfile(".env"):',
    '    env.read_env(".env")',
    'elif project_id:',
    '    client = secretmanager.SecretManagerServiceClient()',
    '    try:',
    '        name = f"projects/{project_id}/secrets/django_settings/versions/latest"',
    '        payload = client.access_secret_version(name=name).payload.data.decode("UTF-8")',
    '        env.read_env(io.StringIO(payload))',
    '    except Exception:',
    '        raise',
    'SECRET_KEY = env.str("SECRET_KEY")',
  ].join('\n');
  assert.deepEqual(loads(text).map((l) => [l.from, l.via, l.text]), [
    ['file', 'read_env', 'env.read_env(".env")'],
    ['secret-manager', 'read_env', 'env.read_env(io.StringIO(payload))'],
  ]);
});

test('os.environ.update(dotenv_values(...)) loads; a dotenv_values kept as settings does not', () => {
  const text = 'import io, os\nfrom dotenv import dotenv_values\nos.environ.update(dotenv_values(stream=io.StringIO(os.environ["PACKED"])))\nsettings = dotenv_values("/etc/x.env")\n';
  assert.deepEqual(loads(text).map((l) => [l.from, l.name, l.path]), [['variable', 'PACKED', undefined]]);
});

test('look-alikes load nothing a deploy provides', () => {
  const text = [
    'import os',
    'from dotenv import load_dotenv',
    'load_dotenv()', // the .env beside the code
    'for host in os.environ["HOSTS"].split(","):', // a loop over a variable that writes no variable
    '    print(host)',
    'for name in ["A", "B"]:', // a loop writing variables from a literal list
    '    os.environ[name] = "1"',
    'os.environ["FIXED"] = os.environ.get("OTHER", "")', // a literal name
    '',
  ].join('\n');
  assert.deepEqual(loads(text), []);
});

test('the prefilter sends a file whose only fact is a loader to the parser', () => {
  assert.equal(pythonCodeMayMatter('from dotenv import load_dotenv\nload_dotenv("/run/conf/app.env")\n', defaultExtractOptions), true);
});
