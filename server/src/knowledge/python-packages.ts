/** Top-level packages of the standard library and the ecosystem that a workspace's own modules are
 * never named after: an import of one names no file of the workspace worth looking for. */
export const NOT_WORKSPACE_PACKAGES: ReadonlySet<string> = new Set([
  'os', 'sys', 're', 'json', 'typing', 'logging', 'subprocess', 'pathlib', 'datetime', 'asyncio', 'time', 'collections',
  'functools', 'itertools', '__future__', 'dataclasses', 'enum', 'django', 'flask', 'fastapi', 'pydantic', 'pydantic_settings',
  'sqlalchemy', 'google', 'dotenv', 'decouple', 'environ', 'starlette', 'celery', 'pytest', 'unittest',
]);
