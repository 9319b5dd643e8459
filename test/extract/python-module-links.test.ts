/**
 * What a Python module loads, recorded for every code file but tests, parsed or not: the modules
 * of its import statements as written, the modules its strings may name, and whether it loads a
 * computed name. A small lexer finds the statements: comments, strings of every form, brackets,
 * continuations and `;` / one-line compound statements.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../helpers';
import { extractFile } from '../../server/src/extract';

before(ready);

const links = (text: string, file = 'api/app/main.py') => extractFile(file, text).moduleLinks;

test('import statements: every module as written, and apart the names of a `from` import, which may be modules; the standard library left out', () => {
  const text = [
    'import os, json',
    'import app.db as database',
    'from .routes import (users,',
    '    orders as o)',
    'from .. import settings',
    'from . import helpers',
    'from app.core.config import Settings  # the settings',
    'if TYPE_CHECKING: from app.types import Row',
    'x = 1; import app.jobs',
    'try:',
    '    from fast_json import dumps',
    'except ImportError:',
    '    pass',
  ].join('\n');
  assert.deepEqual(links(text)?.specifiers, ['.', '..', '.routes', 'app.core.config', 'app.db', 'app.jobs', 'app.types', 'fast_json']);
  assert.deepEqual(links(text)?.named, ['..settings', '.helpers', '.routes.orders', '.routes.users', 'app.core.config.Settings', 'app.types.Row', 'fast_json.dumps']);
  // No env read anywhere: the file is never parsed, and its imports are still known.
  assert.equal(extractFile('api/app/main.py', text).reads.length, 0);
  assert.equal(extractFile('api/tests/test_main.py', text).moduleLinks, undefined);
});

test('the word import in a string, a comment, a docstring or an expression is no import', () => {
  const text = [
    '"""Run with: from app import main"""',
    "NOTE = 'import app.secret'",
    '# import app.legacy',
    'raise ValueError("bad") from err',
    'values = (yield from gen())',
    "query = f'''",
    'import app.inside_fstring',
    "'''",
    'd = {"k": 1}; s = x[1:2]',
  ].join('\n');
  assert.deepEqual(links(text)?.specifiers, []);
});

test('modules named in strings are kept apart, to count only where they name one', () => {
  const l = links('import uvicorn\nuvicorn.run("app.main:app", host="0.0.0.0")\napp.config.from_object("settings.Production")\nLEVEL = "INFO"\nURL = "https://x.io"\n');
  assert.deepEqual(l?.named, ['app.main', 'settings.Production']);
});

test('a computed module name, a moved sys.path or Django makes what a module loads unknown', () => {
  assert.equal(links('import importlib\nmod = importlib.import_module(f"plugins.{name}")\n')?.dynamic, true);
  assert.equal(links('m = __import__(name)\n')?.dynamic, true);
  assert.equal(links('import sys\nsys.path.insert(0, "/opt/lib")\nimport shared\n')?.dynamic, true);
  assert.equal(links('app.autodiscover_tasks()\n')?.dynamic, true);
  assert.equal(links('from django.conf import settings\n')?.dynamic, true);
  assert.equal(links('import sys\nprint(sys.path)\nfrom app import db\n')?.dynamic, undefined);
  // A folder above the file, found from `__file__`, is where names are looked for anyway.
  assert.equal(links('import sys\nfrom pathlib import Path\nsys.path.insert(0, str(Path(__file__).parent.parent))\nimport shared\n')?.dynamic, undefined);
  assert.equal(links('import os, sys\nsys.path.append(\n    os.path.dirname(os.path.abspath(__file__))\n)\n')?.dynamic, undefined);
  assert.equal(links('"""import_module is not used here"""\nfrom app import db\n')?.dynamic, undefined);
});

test('a loader called with a literal name (a lazy package __getattr__) loads that module, and only a literal does', () => {
  const lazy = links('import importlib\ndef __getattr__(name):\n    if name == "scheduler":\n        return importlib.import_module("automation.scheduler")\n    return __import__( \'automation.report\' , fromlist=["x"])\n');
  assert.equal(lazy?.dynamic, undefined);
  assert.deepEqual(lazy?.specifiers.filter((m) => m.startsWith('automation')), ['automation.report', 'automation.scheduler']);
  // Look-alikes that stay computed: a concatenation, a name, an f-string, a second literal joined on.
  assert.equal(links('import importlib\nm = importlib.import_module("plugins." + name)\n')?.dynamic, true);
  assert.equal(links('import importlib\nm = importlib.import_module(NAME)\n')?.dynamic, true);
  assert.equal(links('import importlib\nm = importlib.import_module(f"plugins.{n}")\n')?.dynamic, true);
  assert.equal(links('import importlib\nm = importlib.import_module("plugins" ".x")\n')?.dynamic, true);
  // A loader by file path whose path is a variable stays unknown.
  assert.equal(links('import importlib.util\nspec = importlib.util.spec_from_file_location("constants", path)\n')?.dynamic, true);
});

test('a loader by file path whose call spells the file (`Path(__file__).parent / "consts.py"`) loads that file; a path built any other way stays unknown', () => {
  const spelled = links('import importlib.util\nfrom pathlib import Path\nspec = importlib.util.spec_from_file_location(\n    "consts", Path(__file__).parent.parent / "settings" / "consts.py")\n');
  assert.equal(spelled?.dynamic, undefined);
  assert.deepEqual(spelled?.files, ['consts.py']);
  assert.deepEqual(links('import os, runpy\nHERE = os.path.dirname(os.path.abspath(__file__))\nrunpy.run_path(os.path.join(HERE, "tools/seed_db.py"))\n')?.files, ['tools/seed_db.py']);
  // Look-alikes that stay computed: a concatenation, a formatted name, an f-string, no literal,
  // a loader named but not called.
  for (const call of ['name + ".py"', 'base + "/consts.py"', '"%s.py" % name', '"{}.py".format(name)', 'f"{name}.py"', 'path', '"consts.py" if a else other']) {
    assert.equal(links(`import runpy\nrunpy.run_path(${call})\n`)?.dynamic, true, call);
  }
  assert.equal(links('import runpy\nrun = runpy.run_path\nrun("consts.py")\n')?.dynamic, true);
  assert.equal(links('from runpy import run_path\nrun_path(tool)\n')?.dynamic, true);
  // A local that only shares a loader's name loads nothing, nor does a function of that name defined here.
  assert.equal(links('import json\nrun_path = task_dir / "run.json"\nwrite(run_path, json.dumps(x))\nif run_path.exists():\n    pass\n')?.dynamic, undefined);
  assert.equal(links('def run_path(task):\n    return task\n')?.dynamic, undefined);
  // The path held in a name assigned in the module, every assignment spelled.
  const held = links('import importlib.util\nfrom pathlib import Path\nCONSTS = Path(__file__).parent / "consts.py"\nspec = importlib.util.spec_from_file_location("consts", CONSTS)\n');
  assert.equal(held?.dynamic, undefined);
  assert.deepEqual(held?.files, ['consts.py']);
  // A name that is a parameter or a loop's variable (no assignment) is not spelled.
  assert.equal(links('import runpy\nfor tool in TOOLS:\n    runpy.run_path(os.path.join(HERE, tool, "main.py"))\n')?.dynamic, true);
  for (const assigned of ['CONSTS = Path(__file__).parent / name', 'CONSTS = "consts.py"\nif x:\n    CONSTS = other', 'CONSTS: Path = base + "/consts.py"']) {
    assert.equal(links(`import importlib.util\n${assigned}\nspec = importlib.util.spec_from_file_location("consts", CONSTS)\n`)?.dynamic, true, assigned);
  }
});
