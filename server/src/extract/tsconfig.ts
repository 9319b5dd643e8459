/**
 * tsconfig.json / jsconfig.json: where a bare import specifier may name the project's own module
 * (`compilerOptions.paths` patterns and their targets, `baseUrl`) and the config it extends, for the module graph
 * (model/module-graph.ts). Read as TypeScript reads it: comments and trailing commas allowed.
 */
import { ts as tsMorphTs } from 'ts-morph';
import ts = tsMorphTs;
import type { FileFacts } from '../core/facts';

export function extractTsconfig(text: string, facts: FileFacts): void {
  const { config } = ts.parseConfigFileTextToJson(facts.file, text);
  if (!config || typeof config !== 'object') return;
  const options = (config as { compilerOptions?: { paths?: unknown; baseUrl?: unknown } }).compilerOptions;
  const paths: Record<string, string[]> = {};
  if (options?.paths && typeof options.paths === 'object' && !Array.isArray(options.paths)) {
    for (const [pattern, targets] of Object.entries(options.paths as Record<string, unknown>)) {
      paths[pattern] = Array.isArray(targets) ? targets.filter((t): t is string => typeof t === 'string') : [];
    }
  }
  const baseUrl = typeof options?.baseUrl === 'string' ? options.baseUrl : undefined;
  const ext = (config as { extends?: unknown }).extends;
  const extendsPath = typeof ext === 'string' && ext.startsWith('.') ? ext : undefined;
  if (Object.keys(paths).length || baseUrl !== undefined || extendsPath) {
    facts.moduleAliases = { paths, ...(baseUrl !== undefined ? { baseUrl } : {}), ...(extendsPath ? { extends: extendsPath } : {}) };
  }
}
