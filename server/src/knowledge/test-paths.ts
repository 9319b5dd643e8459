/**
 * Test files, by path: pytest's discovery conventions (`test_*.py`, `*_test.py`, `conftest.py`,
 * `tests/`), Jest/Vitest/Mocha conventions (`*.test.*`, `*.spec.*`, `__tests__/`). A test's reads
 * are not requirements of a deploy, and its deploy-shaped data is not a deploy.
 */
const PYTHON_TEST = /(?:^|\/)tests?\/|(?:^|\/)test_[^/]*\.py$|_test\.py$|(?:^|\/)conftest\.py$/i;

export function isTestPath(file: string): boolean {
  const norm = file.replace(/\\/g, '/');
  if (PYTHON_TEST.test(norm)) return true;
  const p = '/' + norm.toLowerCase();
  return p.includes('/test/') || p.includes('/tests/') || p.includes('/__tests__/') || p.includes('.test.') || p.includes('.spec.');
}
