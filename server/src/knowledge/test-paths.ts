/**
 * Test and test-tooling files, by path. Sources: pytest's discovery conventions (`test_*.py`,
 * `*_test.py`, `conftest.py`, `tests/`), Jest/Vitest/Mocha (`*.test.*`, `*.spec.*`,
 * `__tests__/`, `jest.config.*`, `jest.setup*`, `vitest.config.*`/`vitest.setup*`), Playwright
 * and Cypress (`playwright.config.*`, `e2e/`, `cypress/`), Storybook (`.storybook/`,
 * `*.stories.*`), and the folders teams keep test helpers and fixtures in (`test-utils/`, `test_framework/`, `test_helpers/`,
 * `testing/`, `fixtures/`, `__mocks__/`), a `scratch/` playground, and `test-*.js` / `test_*.ts`
 * programs kept beside the code, and a test database's Prisma schema (`schema.test.prisma`). A test's reads are not requirements of a deploy, and
 * its deploy-shaped data is not a deploy.
 */
const TEST_FOLDER = /(^|\/)(tests?|__tests__|__mocks__|test-utils|test_utils|test[-_]framework|test[-_]helpers|testing|fixtures|scratch|e2e|cypress|\.storybook|spec)\//i;
const TEST_FILE = /(^|\/)(test_[^/]*\.py|test[-_][^/]*\.[cm]?[jt]sx?|[^/]*_test\.py|conftest\.py|[^/]*\.(test|spec|stories|e2e)\.[cm]?[jt]sx?|[^/]*\.(test|spec)\.prisma|(jest|vitest|playwright|cypress|karma|wdio)(\.[\w-]+)*\.(config|setup)[^/]*\.[cm]?[jt]s|(jest|vitest)(\.[\w-]+)*\.setup[^/]*|setup-?tests\.[cm]?[jt]s)$/i;

export function isTestPath(file: string): boolean {
  const norm = file.replace(/\\/g, '/');
  return TEST_FOLDER.test(norm) || TEST_FILE.test(norm);
}
