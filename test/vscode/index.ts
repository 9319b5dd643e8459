/**
 * Extension-host test entry (`extensionTestsPath`): VS Code requires this module inside the
 * extension host and calls `run()`; a rejection makes the host exit with code 1. The same file
 * serves @vscode/test-electron and code-server's smoke-test-driver payload (test/e2e/run.ts).
 *
 * Results are written line by line with console.log (forwarded to the workbench) and, when
 * E2E_RESULTS names a file, appended there so the driver can print them.
 */
import * as fs from 'node:fs';
import Mocha from 'mocha';

function logger(): (line: string) => void {
  const file = process.env.E2E_RESULTS;
  return (line: string) => {
    console.log(line);
    if (file) {
      try {
        fs.appendFileSync(file, `${line}\n`);
      } catch {
        /* the console copy still exists */
      }
    }
  };
}

/** A small reporter: suite titles, ✓/✗ per test with its duration, then every failure in full. */
function reporterFor(log: (line: string) => void) {
  return class Reporter {
    constructor(runner: Mocha.Runner) {
      const failures: { title: string; err: Error }[] = [];
      let passes = 0;
      runner.on('suite', (s: Mocha.Suite) => { if (s.title) log(`\n${s.title}`); });
      runner.on('pass', (t: Mocha.Test) => { passes++; log(`  ✓ ${t.title} (${t.duration ?? 0} ms)`); });
      runner.on('fail', (t: Mocha.Test | Mocha.Hook, err: Error) => {
        failures.push({ title: t.fullTitle(), err });
        log(`  ✗ ${t.title}`);
      });
      runner.on('pending', (t: Mocha.Test) => log(`  - ${t.title} (skipped)`));
      runner.once('end', () => {
        failures.forEach((f, i) => log(`\n${i + 1}) ${f.title}\n${f.err?.stack ?? f.err}`));
        log(`\nextension-host suite: ${passes} passing, ${failures.length} failing`);
      });
    }
  };
}

export function run(): Promise<void> {
  const log = logger();
  const mocha = new Mocha({ ui: 'bdd', timeout: 180_000, bail: false });
  mocha.reporter(reporterFor(log) as unknown as typeof Mocha.reporters.Base);
  // The suites are bundled into this file: load them the way mocha loads a spec file.
  mocha.suite.emit('pre-require', globalThis, 'extension.spec', mocha);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./extension.spec');
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures ? reject(new Error(`${failures} extension-host test(s) failed`)) : resolve()));
    } catch (err) {
      log(`mocha could not run: ${(err as Error).stack ?? err}`);
      reject(err);
    }
  });
}
