/**
 * Settings services of TypeScript frameworks that read the environment for their callers.
 *
 * NestJS's `ConfigService` (`@nestjs/config`, documented "Configuration" technique): by default
 * `ConfigModule` loads `process.env` (and `.env` files), and `configService.get('KEY')` returns the
 * variable or `undefined`; `get('KEY', fallback)` returns the fallback when it is unset, and
 * `getOrThrow('KEY')` throws. Keys are also the dotted paths of custom configuration namespaces
 * (`database.host`); only a key shaped like a variable name (`DB_HOST`) is taken as one.
 */
export const NEST_CONFIG_MODULE = '@nestjs/config';
export const NEST_CONFIG_CLASS = 'ConfigService';

/** `get(key, fallback?)` and `getOrThrow(key)`: whether the method reads and whether it throws when unset. */
export function configServiceMethod(method: string): { throws: boolean } | undefined {
  if (method === 'get') return { throws: false };
  if (method === 'getOrThrow') return { throws: true };
  return undefined;
}

/** A key that names a variable rather than a configuration path. */
export const VARIABLE_KEY = /^[A-Z][A-Z0-9_]*$/;
