import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { ready } from '../helpers';
import { renderInsertion } from '../../server/src/fixes/render-entry';
import { placeholderFor } from '../../server/src/knowledge/secrets';
import { extractDotenv } from '../../server/src/extract/dotenv';
import { emptyFacts, type Insertion } from '../../server/src/core/facts';

before(ready);

const ins = (format: Insertion['format'], extra: Partial<Insertion> = {}): Insertion => ({ offset: 0, before: '', after: '', format, ...extra });

function dotenvValue(text: string, name: string): unknown {
  const f = emptyFacts('.env', 'dotenv', 'h');
  extractDotenv(text, f);
  const e = f.envFile!.entries.find((x) => x.name === name);
  return e?.value.kind === 'literal' ? e.value.value : e?.value;
}

test('placeholderFor', () => {
  assert.equal(placeholderFor('GCP_PROJECT_ID'), 'REPLACE_WITH_GCP_PROJECT_ID');
});

test('gcloud-kv: quoting rules of the surrounding word', () => {
  const dq = ins('gcloud-kv', { before: ',', quote: '"', delimiter: ',' });
  assert.equal(renderInsertion(dq, 'GCP_PROJECT_ID', { kind: 'literal', value: 'acme-staging' }), ',GCP_PROJECT_ID=acme-staging');
  assert.equal(renderInsertion(dq, 'MSG', { kind: 'literal', value: 'a "b" $c `d` \\e' }), ',MSG=a \\"b\\" \\$c \\`d\\` \\\\e');
  assert.equal(renderInsertion(dq, 'GCP_PROJECT_ID', { kind: 'expression', text: '$PROJECT_ID' }), ',GCP_PROJECT_ID=$PROJECT_ID');
  assert.equal(renderInsertion(dq, 'LIST', { kind: 'literal', value: 'a,b' }), undefined);
  assert.equal(renderInsertion(ins('gcloud-kv', { before: ':', quote: '"', delimiter: ':' }), 'LIST', { kind: 'literal', value: 'a,b' }), ':LIST=a,b');
  assert.equal(renderInsertion(dq, 'SERVICE_SECRET', { kind: 'secret', secret: 'service-secret-staging' }), ',SERVICE_SECRET=service-secret-staging:latest');
  assert.equal(renderInsertion(dq, 'S', { kind: 'secret', secret: 'jwt', version: '3' }), ',S=jwt:3');

  const sq = ins('gcloud-kv', { before: ',', quote: "'" });
  assert.equal(renderInsertion(sq, 'A', { kind: 'literal', value: 'x $y' }), ',A=x $y');
  assert.equal(renderInsertion(sq, 'A', { kind: 'literal', value: "it's" }), undefined);
  assert.equal(renderInsertion(sq, 'A', { kind: 'expression', text: '$PROJECT_ID' }), undefined);

  const bare = ins('gcloud-kv', { before: ',' });
  assert.equal(renderInsertion(bare, 'A', { kind: 'literal', value: 'https://api.example.com/v1' }), ',A=https://api.example.com/v1');
  assert.equal(renderInsertion(bare, 'A', { kind: 'literal', value: 'two words' }), undefined);
  assert.equal(renderInsertion(bare, 'A', { kind: 'literal', value: 'a;rm' }), undefined);
  assert.equal(renderInsertion(bare, 'A', { kind: 'expression', text: '${PROJECT_ID}' }), ',A=${PROJECT_ID}');
  assert.equal(renderInsertion(bare, 'GCP_PROJECT_ID', { kind: 'placeholder' }), ',GCP_PROJECT_ID=REPLACE_WITH_GCP_PROJECT_ID');
});

test('gcloud-flag-env / gcloud-flag-secret: whole shell words', () => {
  const f = ins('gcloud-flag-env', { before: ' \\\n  ' });
  assert.equal(renderInsertion(f, 'GCP_PROJECT_ID', { kind: 'literal', value: 'acme-staging' }), ' \\\n  --update-env-vars=GCP_PROJECT_ID=acme-staging');
  assert.equal(renderInsertion(f, 'GCP_PROJECT_ID', { kind: 'expression', text: '$PROJECT_ID' }), ' \\\n  "--update-env-vars=GCP_PROJECT_ID=$PROJECT_ID"');
  assert.equal(renderInsertion(f, 'GREETING', { kind: 'literal', value: 'hello $USER' }), ' \\\n  "--update-env-vars=GREETING=hello \\$USER"');
  assert.equal(renderInsertion(f, 'ORIGINS', { kind: 'literal', value: 'https://a.com,https://b.com' }), ' \\\n  --update-env-vars=^@^ORIGINS=https://a.com,https://b.com');
  assert.equal(renderInsertion(f, 'S', { kind: 'secret', secret: 'x' }), undefined);
  const s = ins('gcloud-flag-secret', { before: ' ' });
  assert.equal(renderInsertion(s, 'SERVICE_SECRET', { kind: 'secret', secret: 'service-secret-staging' }), ' --update-secrets=SERVICE_SECRET=service-secret-staging:latest');
  assert.equal(renderInsertion(s, 'A', { kind: 'literal', value: 'x' }), undefined);
});

test('gcloud-arg-env / gcloud-arg-secret: list elements that parse back in YAML', () => {
  const py = ins('gcloud-arg-env', { before: ',\n        ', quote: '"' });
  assert.equal(renderInsertion(py, 'GCP_PROJECT_ID', { kind: 'literal', value: 'acme-staging' }), ',\n        "--update-env-vars=GCP_PROJECT_ID=acme-staging"');
  assert.equal(renderInsertion(py, 'GCP_PROJECT_ID', { kind: 'expression', text: '$PROJECT_ID' }), ',\n        "--update-env-vars=GCP_PROJECT_ID=$PROJECT_ID"');
  assert.equal(renderInsertion(py, 'GCP_PROJECT_ID', { kind: 'expression', text: 'self.project_id' }), undefined);
  const sq = ins('gcloud-arg-secret', { before: "\n  - ", quote: "'" });
  const out = renderInsertion(sq, 'SERVICE_SECRET', { kind: 'secret', secret: 'service-secret-staging', version: '2' });
  assert.equal(out, "\n  - '--update-secrets=SERVICE_SECRET=service-secret-staging:2'");
  assert.deepEqual(parseYaml(`args:${out}\n`), { args: ['--update-secrets=SERVICE_SECRET=service-secret-staging:2'] });
  assert.equal(renderInsertion(ins('gcloud-arg-env', { quote: "'" }), 'A', { kind: 'literal', value: "it's" }), undefined);
  const dq = renderInsertion(ins('gcloud-arg-env', { before: '\n  - ' }), 'MSG', { kind: 'literal', value: 'say "hi" \\o/' });
  assert.equal(dq, '\n  - "--update-env-vars=MSG=say \\"hi\\" \\\\o/"');
  assert.deepEqual(parseYaml(`args:${dq}\n`), { args: ['--update-env-vars=MSG=say "hi" \\o/'] });
});

test('dotenv: quoting only when needed, and the value reads back', () => {
  const d = ins('dotenv', { before: '\n', after: '\n' });
  const cases: [string, string][] = [
    ['acme-staging', 'GCP_PROJECT_ID=acme-staging'],
    ['', 'GCP_PROJECT_ID=""'],
    ['two words', 'GCP_PROJECT_ID="two words"'],
    ['a#b', 'GCP_PROJECT_ID="a#b"'],
    ['say "hi"\nbye \\', 'GCP_PROJECT_ID="say \\"hi\\"\\nbye \\\\"'],
    ['pa$word', "GCP_PROJECT_ID='pa$word'"],
  ];
  for (const [value, line] of cases) {
    const out = renderInsertion(d, 'GCP_PROJECT_ID', { kind: 'literal', value });
    assert.equal(out, `\n${line}\n`);
    assert.equal(dotenvValue(`A=1${out}`, 'GCP_PROJECT_ID'), value, line);
  }
  assert.equal(renderInsertion(d, 'X', { kind: 'literal', value: "it's $5" }), undefined);
  assert.equal(renderInsertion(d, 'X', { kind: 'secret', secret: 's' }), undefined);
  assert.equal(renderInsertion(d, 'GCP_PROJECT_ID', { kind: 'placeholder' }), '\nGCP_PROJECT_ID=REPLACE_WITH_GCP_PROJECT_ID\n');
  assert.equal(renderInsertion(d, 'X', { kind: 'expression', text: '${BASE}/api' }), '\nX=${BASE}/api\n');
  assert.equal(renderInsertion(d, 'bad name', { kind: 'literal', value: 'x' }), undefined);
});

test('python-dict', () => {
  const p = ins('python-dict', { before: '\n        ', after: ',', quote: '"' });
  assert.equal(renderInsertion(p, 'GCP_PROJECT_ID', { kind: 'expression', text: 'self.project_id' }), '\n        "GCP_PROJECT_ID": self.project_id,');
  assert.equal(renderInsertion(p, 'ENVIRONMENT', { kind: 'literal', value: 'sta"ging\n' }), '\n        "ENVIRONMENT": "sta\\"ging\\n",');
  assert.equal(renderInsertion(ins('python-dict', { quote: "'" }), 'A', { kind: 'literal', value: "it's" }), "'A': 'it\\'s'");
  assert.equal(renderInsertion(p, 'S', { kind: 'secret', secret: 'x' }), undefined);
  assert.equal(renderInsertion(ins('python-dict'), 'GCP_PROJECT_ID', { kind: 'placeholder' }), '"GCP_PROJECT_ID": "REPLACE_WITH_GCP_PROJECT_ID"');
});

test('yaml-env-list: values and secret refs parse back', () => {
  const indent = '        ';
  const y = ins('yaml-env-list', { before: `\n${indent}`, indent });
  const wrap = (out: string) => `env:${out}\n`;
  const lit = renderInsertion(y, 'GCP_PROJECT_ID', { kind: 'literal', value: 'acme-staging' })!;
  assert.equal(lit, `\n${indent}- name: GCP_PROJECT_ID\n${indent}  value: acme-staging`);
  assert.deepEqual(parseYaml(wrap(lit)), { env: [{ name: 'GCP_PROJECT_ID', value: 'acme-staging' }] });
  for (const value of ['true', 'yes', 'off', '8080', '0755', '1e3', 'a: b', 'x #y', '', '@at', '- dash', 'null', 'https://x.io', 'quote"s']) {
    const out = renderInsertion(y, 'V', { kind: 'literal', value })!;
    assert.ok(out.includes(`value: "`), `${value} must be quoted: ${out}`);
    assert.deepEqual(parseYaml(wrap(out)), { env: [{ name: 'V', value }] }, value);
  }
  const sec = renderInsertion(y, 'SERVICE_SECRET', { kind: 'secret', secret: 'service-secret-staging' })!;
  assert.equal(
    sec,
    `\n${indent}- name: SERVICE_SECRET\n${indent}  valueFrom:\n${indent}    secretKeyRef:\n${indent}      name: service-secret-staging\n${indent}      key: latest`,
  );
  assert.deepEqual(parseYaml(wrap(sec)), { env: [{ name: 'SERVICE_SECRET', valueFrom: { secretKeyRef: { name: 'service-secret-staging', key: 'latest' } } }] });
  const v1 = renderInsertion(y, 'S', { kind: 'secret', secret: 's', version: '1' })!;
  assert.ok(v1.endsWith('key: "1"'));
  const sq = renderInsertion(ins('yaml-env-list', { quote: "'" }), 'V', { kind: 'literal', value: "it's: x" })!;
  assert.equal(sq, "- name: V\n  value: 'it''s: x'");
  assert.deepEqual(parseYaml(sq), [{ name: 'V', value: "it's: x" }]);
});

test('yaml-map, yaml-list-kv, kv-lines', () => {
  const m = ins('yaml-map', { before: '\n  ', after: '' });
  const out = renderInsertion(m, 'PORT_OVERRIDE', { kind: 'literal', value: '8080' })!;
  assert.equal(out, '\n  PORT_OVERRIDE: "8080"');
  assert.deepEqual(parseYaml(`environment:${out}\n`), { environment: { PORT_OVERRIDE: '8080' } });
  assert.equal(renderInsertion(m, 'GCP_PROJECT_ID', { kind: 'expression', text: '${{ vars.GCP_PROJECT_ID }}' }), '\n  GCP_PROJECT_ID: "${{ vars.GCP_PROJECT_ID }}"');
  assert.equal(renderInsertion(m, 'S', { kind: 'secret', secret: 'x' }), undefined);

  const l = ins('yaml-list-kv', { before: '\n  ' });
  assert.equal(renderInsertion(l, 'ENVIRONMENT', { kind: 'literal', value: 'staging' }), '\n  - ENVIRONMENT=staging');
  const url = renderInsertion(l, 'DATABASE_URL', { kind: 'literal', value: 'postgresql://u@db/app' })!;
  assert.equal(url, '\n  - "DATABASE_URL=postgresql://u@db/app"');
  assert.deepEqual(parseYaml(`environment:${url}\n`), { environment: ['DATABASE_URL=postgresql://u@db/app'] });

  const k = ins('kv-lines', { before: '\n            ' });
  assert.equal(renderInsertion(k, 'GCP_PROJECT_ID', { kind: 'expression', text: '${{ vars.PROJECT }}' }), '\n            GCP_PROJECT_ID=${{ vars.PROJECT }}');
  assert.equal(renderInsertion(k, 'SERVICE_SECRET', { kind: 'secret', secret: 'service-secret-staging' }), '\n            SERVICE_SECRET=service-secret-staging:latest');
  assert.equal(renderInsertion(k, 'A', { kind: 'literal', value: 'a,b' }), undefined);
  assert.equal(renderInsertion(k, 'A', { kind: 'literal', value: 'a\nb' }), undefined);
  assert.equal(renderInsertion(k, 'JWT_SECRET', { kind: 'placeholder' }), '\n            JWT_SECRET=REPLACE_WITH_JWT_SECRET');
});
