/**
 * `.deploy-preflight.yaml` / `.json`: data only. Nothing in it is executed or required, and
 * every path it names must stay inside the workspace.
 */
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { defaultConfig, isRuleSetting, type Config } from '../core/config';

function insideRoot(rel: string): boolean {
  const norm = path.posix.normalize(rel.replace(/\\/g, '/'));
  return !path.posix.isAbsolute(norm) && norm !== '..' && !norm.startsWith('../');
}

/** Parses config text. Returns the config and human-readable problems; never throws. */
export function parseConfig(text: string, fileName: string): { config: Config; problems: string[] } {
  const config = defaultConfig();
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = fileName.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100, logLevel: 'error' });
  } catch (err) {
    problems.push(`${fileName}: cannot parse configuration: ${(err as Error).message.split('\n')[0]}`);
    return { config, problems };
  }
  if (raw === null || raw === undefined) return { config, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(`${fileName}: configuration must be a mapping`);
    return { config, problems };
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    switch (key) {
      case 'rules':
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          for (const [id, setting] of Object.entries(v as Record<string, unknown>)) {
            if (isRuleSetting(setting)) config.rules[id] = setting;
            else problems.push(`${fileName}: rules.${id} must be one of off, info, warning, error`);
          }
        } else problems.push(`${fileName}: rules must be a mapping of rule id to severity`);
        break;
      case 'environments':
        if (Array.isArray(v)) {
          for (const name of v) if (typeof name === 'string') config.environments[name] = [name];
        } else if (v && typeof v === 'object') {
          for (const [name, tokens] of Object.entries(v as Record<string, unknown>)) {
            config.environments[name] = Array.isArray(tokens) ? tokens.filter((t): t is string => typeof t === 'string') : [name];
          }
        } else problems.push(`${fileName}: environments must be a list or a mapping`);
        break;
      case 'services':
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          for (const [name, s] of Object.entries(v as Record<string, unknown>)) {
            const spec = typeof s === 'string' ? { root: s } : (s as Record<string, unknown> | null);
            const root = spec && typeof spec.root === 'string' ? spec.root : undefined;
            if (!root) { problems.push(`${fileName}: services.${name}.root is required`); continue; }
            if (!insideRoot(root)) { problems.push(`${fileName}: services.${name}.root "${root}" is outside the workspace: refused`); continue; }
            const deploys = Array.isArray(spec?.deploys) ? (spec!.deploys as unknown[]).filter((d): d is string => typeof d === 'string') : undefined;
            const outside = deploys?.filter((d) => !insideRoot(d)) ?? [];
            for (const d of outside) problems.push(`${fileName}: services.${name}.deploys "${d}" is outside the workspace: refused`);
            const names = Array.isArray(spec?.names) ? (spec!.names as unknown[]).filter((d): d is string => typeof d === 'string') : undefined;
            config.services[name] = {
              root: path.posix.normalize(root.replace(/\\/g, '/')).replace(/\/$/, '').replace(/^\.$/, ''),
              deploys: deploys?.filter(insideRoot).map((d) => path.posix.normalize(d)),
              names,
            };
          }
        } else problems.push(`${fileName}: services must be a mapping`);
        break;
      case 'oauth': {
        const c = (v as Record<string, unknown> | null)?.convention;
        if (typeof c === 'string' && c.includes('{KIND}')) config.oauth.convention = c;
        else problems.push(`${fileName}: oauth.convention must be a string containing {KIND} (and usually {ENV})`);
        break;
      }
      case 'envAccessors':
        if (Array.isArray(v)) config.envAccessors = v.filter((a): a is string => typeof a === 'string' && /^[\w.()]+$/.test(a));
        else problems.push(`${fileName}: envAccessors must be a list of dotted call shapes like "settings.env"`);
        break;
      case 'ignore':
        if (Array.isArray(v)) config.ignore = v.filter((a): a is string => typeof a === 'string');
        else problems.push(`${fileName}: ignore must be a list of globs`);
        break;
      case 'maxFileBytes':
        if (typeof v === 'number' && v > 0) config.maxFileBytes = v;
        else problems.push(`${fileName}: maxFileBytes must be a positive number`);
        break;
      case 'runtimeProvided':
        if (Array.isArray(v)) config.runtimeProvided = v.filter((a): a is string => typeof a === 'string');
        else problems.push(`${fileName}: runtimeProvided must be a list of variable names`);
        break;
      default:
        problems.push(`${fileName}: unknown key "${key}" ignored`);
    }
  }
  return { config, problems };
}
