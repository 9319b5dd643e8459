/**
 * Environment branches: code under `if (process.env.NODE_ENV === 'development')`, a `switch` over
 * the environment, `['dev', 'test'].includes(env)` or Vite's `import.meta.env.DEV` runs in one
 * environment only. Reads under such a branch are marked `devOnly` or `inEnvironment`.
 *
 * NODE_ENV is a build mode, not a deploy environment: staging deploys of Node services set it to
 * `production` too, so `if (NODE_ENV === 'production')` runs in every deploy and only its other
 * branch is development-only (Vite's `import.meta.env.PROD` likewise). A deploy environment
 * variable (`APP_ENV === 'production'`) is different: its other branch runs in staging.
 *
 * A condition that is a parameter or flag named for development (`if (dev)` in a webpack hook,
 * `options.dev`, `this.isDevelopment`, `isDev`) is a development branch too; a top-level constant
 * is read through its value (`const isProd = NODE_ENV === 'production'; if (!isProd)`).
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { ExtractOptions } from '../options';
import { environmentNames, namesEnvironment, type EnvironmentNames } from '../../knowledge/environments';
import type { Ctx } from './context';
import { envObject, isEquality, isNegativeEquality, isNot, isStringLike, strip } from './syntax';

/** Env variables whose value names the environment (`NODE_ENV`, `ENVIRONMENT`, `APP_ENV`, Vite's `MODE`). */
const ENV_SELECTOR_VAR = /(^|_)(ENV|ENVIRONMENT|STAGE|MODE)$/i;
/** Other expressions that name the environment (`env`, `config.environment`, `nodeEnv`). */
const ENV_SELECTOR_NAME = /^(node_?env|env|environment|app_?env|deploy(ment)?_?env|runtime_?env|stage)$/i;
/** Names of NODE_ENV in code: the build mode. */
const BUILD_MODE_NAME = /^node_?env$/i;
/** Parameters and flags that say "running in development" (`dev`, `isDev`, `IS_LOCAL`, `devMode`, `__DEV__`). */
const DEV_FLAG = /^(__DEV__|dev|is_?(dev|development|local|local_?dev|test|testing)(_?(mode|env|environment|build))?|(dev|development)_?mode|in_?(dev|development))$/i;
/** How deep a condition is followed through top-level constants. */
const MAX_DEPTH = 4;

/** A variable or name in code that holds the environment: `NODE_ENV` (a build mode, but code
 * branches on it for development) or one of the deploy's environment variables. */
const namesEnvironmentInCode = (name: string): boolean => name === 'NODE_ENV' || namesEnvironment(name);

/** Where code runs: only in development, or only in one named environment. */
export type Branch = { dev: true } | { env: string };

/** The branches a condition decides: `then` when it holds, `else` when it does not. */
export interface EnvCondition { then?: Branch; else?: Branch }

/** `ctx` inside `branch` (unchanged when there is none). */
export function withBranch(ctx: Ctx, branch: Branch | undefined): Ctx {
  if (!branch) return ctx;
  if ('dev' in branch) return { ...ctx, devOnly: true };
  return { ...ctx, inEnvironment: branch.env };
}

export class Branches {
  private readonly envNames: EnvironmentNames;

  /** @param topConst the initializer of a top-level `const` (`const isProd = ...`) */
  constructor(options: ExtractOptions, private readonly topConst?: (name: string) => ts.Expression | undefined) {
    this.envNames = environmentNames(options.environments);
  }

  /** What the condition of an `if` or `?:` says about the environment. */
  condition(e: ts.Expression, depth = 0): EnvCondition | undefined {
    const s = strip(e);
    if (isNot(s)) {
      const inner = this.condition(s.operand, depth);
      return inner ? { then: inner.else, else: inner.then } : undefined;
    }
    if (ts.isBinaryExpression(s)) {
      const op = s.operatorToken.kind;
      if (isEquality(op)) {
        const l = strip(s.left);
        const r = strip(s.right);
        let branch: Branch | undefined;
        let selector: ts.Expression | undefined;
        if (isStringLike(r) && this.isEnvSelector(l)) { branch = this.envNames.classify(r.text); selector = l; }
        else if (isStringLike(l) && this.isEnvSelector(r)) { branch = this.envNames.classify(l.text); selector = r; }
        if (!branch || !selector) return undefined;
        if (isBuildModeProduction(selector, branch)) {
          // Every deploy builds for production: the other branch is the developer's machine.
          return isNegativeEquality(op) ? { then: { dev: true } } : { else: { dev: true } };
        }
        return isNegativeEquality(op) ? { else: branch } : { then: branch };
      }
      if (op === ts.SyntaxKind.BarBarToken) {
        const then = sameBranch(this.condition(s.left, depth)?.then, this.condition(s.right, depth)?.then);
        return then ? { then } : undefined;
      }
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
        const then = this.condition(s.left, depth)?.then ?? this.condition(s.right, depth)?.then;
        return then ? { then } : undefined;
      }
      return undefined;
    }
    // `if (isProd)` with `const isProd = ...` at the top level; `if (dev)`, `if (isDev)`
    if (ts.isIdentifier(s)) {
      const bound = depth < MAX_DEPTH ? this.topConst?.(s.text) : undefined;
      if (bound) return this.condition(bound, depth + 1);
      return DEV_FLAG.test(s.text) ? { then: { dev: true } } : undefined;
    }
    // ['development', 'test'].includes(process.env.NODE_ENV)
    if (ts.isCallExpression(s) && s.arguments.length === 1) {
      const callee = strip(s.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'includes') {
        const list = strip(callee.expression);
        if (ts.isArrayLiteralExpression(list) && list.elements.length && this.isEnvSelector(s.arguments[0])) {
          let then: Branch | undefined;
          for (const [i, el] of list.elements.entries()) {
            const v = strip(el);
            const b = isStringLike(v) ? this.envNames.classify(v.text) : undefined;
            then = i === 0 ? b : sameBranch(then, b);
            if (!then) return undefined;
          }
          return { then };
        }
      }
      return undefined;
    }
    if (ts.isPropertyAccessExpression(s) && !ts.isPrivateIdentifier(s.name)) {
      const via = envObject(s.expression);
      // Vite: import.meta.env.DEV / import.meta.env.PROD (a production build, staging's too)
      if (via === 'import.meta.env') {
        if (s.name.text === 'DEV') return { then: { dev: true } };
        if (s.name.text === 'PROD') return { else: { dev: true } };
        return undefined;
      }
      // `options.dev`, `this.isDevelopment`; not `process.env.IS_DEV`, which a deploy could set
      if (!via && DEV_FLAG.test(s.name.text)) return { then: { dev: true } };
    }
    return undefined;
  }

  /**
   * The branch each clause of a `switch` over the environment runs in, by clause index; undefined
   * when the subject does not name the environment. Empty cases fall through: their values join
   * the next body's branch when they all agree.
   */
  switchBranches(n: ts.SwitchStatement): (Branch | undefined)[] | undefined {
    if (!this.isEnvSelector(n.expression)) return undefined;
    const subject = n.expression;
    const out: (Branch | undefined)[] = [];
    let pending: (Branch | undefined)[] = [];
    for (const clause of n.caseBlock.clauses) {
      let branch: Branch | undefined;
      if (ts.isCaseClause(clause)) {
        const e = strip(clause.expression);
        const b = isStringLike(e) ? this.envNames.classify(e.text) : undefined;
        // `case 'production':` of NODE_ENV runs in every deploy
        pending.push(b && isBuildModeProduction(subject, b) ? undefined : b);
        if (clause.statements.length === 0) {
          out.push(undefined);
          continue;
        }
        branch = pending.reduce<Branch | undefined>((acc, b, i) => (i === 0 ? b : sameBranch(acc, b)), undefined);
      }
      pending = [];
      out.push(branch);
    }
    return out;
  }

  /** Whether `e` names the current environment (`process.env.NODE_ENV`, `env`, `config.environment`). */
  private isEnvSelector(e: ts.Expression): boolean {
    const s = strip(e);
    if (ts.isIdentifier(s)) return ENV_SELECTOR_NAME.test(s.text) || namesEnvironmentInCode(s.text);
    if (ts.isPropertyAccessExpression(s) && !ts.isPrivateIdentifier(s.name)) {
      if (envObject(s.expression)) return ENV_SELECTOR_VAR.test(s.name.text);
      return ENV_SELECTOR_NAME.test(s.name.text) || namesEnvironmentInCode(s.name.text);
    }
    if (ts.isElementAccessExpression(s) && isStringLike(s.argumentExpression)) {
      return envObject(s.expression) !== undefined && ENV_SELECTOR_VAR.test(s.argumentExpression.text);
    }
    if (ts.isCallExpression(s) && s.arguments.length >= 1) {
      const a = strip(s.arguments[0]);
      const callee = strip(s.expression);
      return isStringLike(a) && ts.isPropertyAccessExpression(callee) && callee.name.text === 'get' && ENV_SELECTOR_VAR.test(a.text);
    }
    return false;
  }
}

/** `process.env.NODE_ENV` (or `nodeEnv`) compared with a production value. */
function isBuildModeProduction(selector: ts.Expression, branch: Branch): boolean {
  if (!('env' in branch) || branch.env !== 'production') return false;
  const s = strip(selector);
  if (ts.isIdentifier(s)) return BUILD_MODE_NAME.test(s.text);
  if (ts.isPropertyAccessExpression(s) && !ts.isPrivateIdentifier(s.name)) return BUILD_MODE_NAME.test(s.name.text);
  if (ts.isElementAccessExpression(s) && isStringLike(s.argumentExpression)) return BUILD_MODE_NAME.test(s.argumentExpression.text);
  if (ts.isCallExpression(s) && s.arguments.length >= 1) {
    const a = strip(s.arguments[0]);
    return isStringLike(a) && BUILD_MODE_NAME.test(a.text);
  }
  return false;
}

function sameBranch(a: Branch | undefined, b: Branch | undefined): Branch | undefined {
  if (!a || !b) return undefined;
  if ('dev' in a && 'dev' in b) return a;
  if ('env' in a && 'env' in b && a.env === b.env) return a;
  return undefined;
}
