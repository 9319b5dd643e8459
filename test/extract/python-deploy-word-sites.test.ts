/**
 * The Python deploy reading finds its candidate nodes from the places of words in the text
 * (extract/python-deploy/word-sites.ts) instead of by tree-sitter queries over the whole tree.
 * Each function must answer exactly what the query it replaced answers: the same nodes in the same
 * order. These cases put the words where a word search could go wrong (comments, other strings,
 * escapes, nested f-strings, prefixes, typed and chained assignments, look-alike names) and compare
 * with the query itself.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { query, withPythonTree, type SyntaxNode } from '../../server/src/parsers/tree-sitter';
import { ENV_KEYS, SECRET_KEYS } from '../../server/src/extract/python-deploy/configs';
import { keyName } from '../../server/src/extract/python-deploy/strings';
import { anyClassFieldNamed, envDictAssignments, keywordArgumentNames, matchingStrings, needles, pairStringKeys } from '../../server/src/extract/python-deploy/word-sites';

before(ready);

const KEYS = new Set([...ENV_KEYS, ...SECRET_KEYS]);

const SCRIPT = String.raw`#!/usr/bin/env python3
# env={"A": "1"} and "gcloud run deploy" in a comment are neither arguments nor strings
import subprocess
GCLOUD = "gcloud"
env_note = "set env= before the run"
ENV_VARS = {"staging": {"A": "1"}, "production": {"A": "2"}}
ENV_VARS_TYPED: dict = {"staging": {}}
alias = ENVIRONMENTS = {"dev": {}}
self_env = None
config["Env"] = {"x": 1}
not_a_dict_env = dict(a=1)
services = {
    "api": {"env": {"A": "1"}, "secrets": {"S": "s:latest"}},
    "\x65nv": {"escaped": "key"},
    r"envs": {},
    f"{'env'}": {},
    "environment_variables_extra": {},
}

class ServiceConfig:
    name: str
    env_vars: dict = None
    environment = "not annotated"

class Other:
    region: str

def deploy(svc, environment_vars=None, *, secrets=None):
    cmd = [GCLOUD, "run", "deploy", svc, f"--set-env-vars={','.join(environment_vars)}"]
    subprocess.run(cmd, env={"PATH": "/bin"})
    subprocess.run(r"run")
    subprocess.run(f"gcloud {'run'} services update {svc}", shell=True)
    subprocess.run(["docker", "build", "-t", "img", "."])
    subprocess.run(["gcloud", "secrets", "versions", "add", "S", "--data-file=-"], input=b"v")
    print("docker" "build", 'builds submit', "buildx", "build", u"build")
    deploy_one(name="api", environment=dict(A="1"), envs=None, secret_env_vars={}, env_var=1)
    return ServiceConfig("api", {"A": "1"})
`;

const ids = (nodes: SyntaxNode[]): number[] => nodes.map((n) => n.id);

function captures(root: SyntaxNode, source: string, name: string): SyntaxNode[] {
  return query('python', source).matches(root).map((m) => m.captures.find((c) => c.name === name)!.node);
}

test('keyword arguments named like an env or secret field: the query’s nodes, in its order', () => {
  withPythonTree(SCRIPT, (root) => {
    const expected = captures(root, '(keyword_argument name: (identifier) @k value: (_) @v)', 'k').filter((k) => KEYS.has(k.text));
    const got = keywordArgumentNames(root, SCRIPT, KEYS);
    assert.deepEqual(got.map((n) => n.text), ['env', 'environment', 'envs', 'secret_env_vars']);
    assert.deepEqual(ids(got), ids(expected));
  });
});

test('dict keys spelling an env or secret field, an escaped spelling included; not a longer key or an f-string', () => {
  withPythonTree(SCRIPT, (root) => {
    const keep = (k: SyntaxNode): boolean => KEYS.has(keyName(k, SCRIPT) ?? '');
    const expected = captures(root, '(pair key: (string) @k value: (_) @v)', 'k').filter(keep);
    const got = pairStringKeys(root, SCRIPT, KEYS).filter(keep);
    assert.deepEqual(got.map((n) => n.text), ['"env"', '"secrets"', String.raw`"\x65nv"`, 'r"envs"']);
    assert.deepEqual(ids(got), ids(expected));
  });
});

test('dicts assigned to a target holding env in any case: typed, chained and subscripted targets; not a call', () => {
  withPythonTree(SCRIPT, (root) => {
    const expected = query('python', '(assignment left: (_) @n right: (dictionary) @d (#match? @n "[Ee][Nn][Vv]"))').matches(root)
      .map((m) => `${m.captures.find((c) => c.name === 'n')!.node.id}:${m.captures.find((c) => c.name === 'd')!.node.id}`);
    const got = envDictAssignments(root, SCRIPT);
    assert.deepEqual(got.map((x) => x.n.text), ['ENV_VARS', 'ENV_VARS_TYPED', 'ENVIRONMENTS', 'config["Env"]']);
    assert.deepEqual(got.map((x) => `${x.n.id}:${x.d.id}`), expected);
  });
});

test('a class field named like an env field is seen only when annotated in a class body', () => {
  withPythonTree(SCRIPT, (root) => assert.equal(anyClassFieldNamed(root, SCRIPT, KEYS), true));
  const plain = 'class A:\n    environment = "x"\n\ndef f():\n    env_vars: dict = {}\n';
  withPythonTree(plain, (root) => {
    assert.equal(anyClassFieldNamed(root, plain, KEYS), false);
    assert.equal(captures(root, '(class_definition name: (identifier) @c body: (block (expression_statement (assignment left: (identifier) @f type: (_)))))', 'f').some((f) => KEYS.has(f.text)), false);
  });
});

test('strings a predicate matches: gcloud anywhere (an outer f-string and the string inside it), an exact "run", builds, secrets', () => {
  withPythonTree(SCRIPT, (root) => {
    const cases: [string, string[], RegExp][] = [
      [String.raw`((string) @s (#match? @s "gcloud|^[\"']run[\"']$"))`, ['gcloud', 'run'], /gcloud|^["']run["']$/],
      [String.raw`((string) @s (#match? @s "^[\"'](build|builds|buildx)[\"']$|docker|podman|builds submit"))`, ['build', 'docker', 'podman'], /^["'](build|builds|buildx)["']$|docker|podman|builds submit/],
      [String.raw`((string) @s (#match? @s "^[\"']secrets[\"']$"))`, ['secrets'], /^["']secrets["']$/],
    ];
    for (const [source, words, re] of cases) {
      assert.deepEqual(ids(matchingStrings(root, SCRIPT, words, re)), ids(captures(root, source, 's')), source);
    }
    const gcloud = matchingStrings(root, SCRIPT, ['gcloud', 'run'], /gcloud|^["']run["']$/).map((n) => n.text);
    assert.deepEqual(gcloud, ['"gcloud"', '"run"', `f"gcloud {'run'} services update {svc}"`, "'run'", '"gcloud"']);
  });
});

test('the words looked for: a name holding another is found by it', () => {
  assert.deepEqual(needles(KEYS).sort(), ['env', 'secrets']);
});
