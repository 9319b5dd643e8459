/** The byte-level prefilter: most files are never parsed, so it must be cheap and never miss a fact. */
import type { ExtractOptions } from '../options';
import { NEST_CONFIG_MODULE } from '../../knowledge/config-services';
import { GCP_PRESENCE_SIGNALS } from '../../knowledge/platform';

/** Cheap byte-level test: can this file hold anything the extractor reports? */
export function mayHoldTypeScriptFacts(text: string, options: ExtractOptions): boolean {
  return typeScriptTrigger(text, options) !== undefined;
}

/** The first trigger the file holds (scripts/prefilter-stats.ts counts what each one admits). */
export function typeScriptTrigger(text: string, options: ExtractOptions): string | undefined {
  // `Env(`: a call of an accessor another module may define (`requireEnv('X')`, `getEnv('X')`).
  for (const word of ['env', 'Env(', 'enum', 'postgres', 'as const', 'get state', 'get status', NEST_CONFIG_MODULE]) if (text.includes(word)) return word;
  // Such an accessor named on (`getEnvVar('X')`, `readEnvValue('X')`).
  if (ACCESSOR_CALL.test(text)) return 'Env…(';
  // A validated environment's field named as a GCP signal (`config.GOOGLE_CLOUD_PROJECT`) may gate Secret Manager.
  for (const signal of GCP_PRESENCE_SIGNALS) if (text.includes(signal)) return 'GCP signal';
  if (hasStateToken(text, 'State')) return 'State';
  if (hasStateToken(text, 'Status')) return 'Status';
  for (const accessor of options.envAccessors) {
    const last = accessor.slice(accessor.lastIndexOf('.') + 1);
    if (last && text.includes(last)) return 'accessor';
  }
  // A node-postgres import and an `Object.freeze` enum are facts on their own (both were missed
  // while they sat behind the `.state` test below: test/extract/prefilter-equivalence.test.ts).
  if (text.includes('freeze')) return 'freeze';
  if (/['"`]pg['"`/]/.test(text)) return 'pg import';
  // Auth.js configured (`NextAuth({...})`): it reads variables by itself (knowledge/auth-js.ts).
  if (text.includes('NextAuth(')) return 'NextAuth(';
  // A server started on a port (`app.listen(3000)`): which port the program takes.
  if (text.includes('.listen(')) return '.listen(';
  // `.state` / `.status` alone matter only where a state comparison or accessor can be.
  if (!text.includes('.state') && !text.includes('.status')) return undefined;
  return stateMayMatter(text) ? '.state/.status' : undefined;
}

const IDENT_CHAR = /[A-Za-z0-9_$]/;
const ACCESSOR_CALL = /Env[A-Za-z]*\(/;

/**
 * With no other trigger, a file holding `.state` / `.status` yields facts only through a state
 * comparison (`x.status === E.M`, `x.state() === …`, `switch (x.status)`), a class member named
 * `state` / `status`. `res.status(404)` and
 * `.statusCode` are none of these: such files (most HTTP handlers) are not parsed.
 */
function stateMayMatter(text: string): boolean {
  const hasClass = text.includes('class');
  for (const word of ['state', 'status']) {
    for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
      if ((i > 0 && IDENT_CHAR.test(text[i - 1])) || IDENT_CHAR.test(text[i + word.length] ?? '')) continue; // part of a longer name
      let p = i - 1;
      while (p >= 0 && /\s/.test(text[p])) p--;
      if (text[p] !== '.') {
        // Not a property access: a declaration or key, an accessor only inside a class.
        if (hasClass) return true;
        continue;
      }
      let j = i + word.length;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (text[j] !== '(') return true; // a property read: may be compared
      j++;
      while (j < text.length && /\s/.test(text[j])) j++;
      if (text[j] === ')' || text[j] === '/') return true; // `x.state()`: may be compared
      // `x.status(404)`: a call with arguments is never a state member
    }
  }
  return false;
}

/** `State` / `Status` other than React's `useState` / `setState` (they alone say nothing). */
function hasStateToken(text: string, token: string): boolean {
  for (let i = text.indexOf(token); i >= 0; i = text.indexOf(token, i + token.length)) {
    const before = text.slice(Math.max(0, i - 3), i);
    if (before !== 'use' && before !== 'set') return true;
  }
  return false;
}

/** A quoted path through a script folder (`'../scripts/firebase_auth'`): the file may load a module
 * kept there, which decides whether that module is operator code (model/operator-modules.ts). */
export function namesScriptFolderModule(text: string): boolean {
  return /['"`](?:[^'"`\n]*\/)?(?:scripts|jobs)\/[^'"`\n]*['"`]/.test(text);
}
