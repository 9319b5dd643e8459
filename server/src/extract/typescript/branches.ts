/**
 * Environment branches: code under `if (process.env.NODE_ENV === 'development')`, a `switch` over
 * the environment, `['dev', 'test'].includes(env)` or Vite's `import.meta.env.DEV` runs in one
 * environment only. Reads under such a branch are marked `devOnly` or `inEnvironment`.
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

  constructor(options: ExtractOptions) {
    this.envNames = environmentNames(options.environments);
  }

  /** What the condition of an `if` or `?:` says about the environment. */
  condition(e: ts.Expression): EnvCondition | undefined {
    const s = strip(e);
    if (isNot(s)) {
      const inner = this.condition(s.operand);
      return inner ? { then: inner.else, else: inner.then } : undefined;
    }
    if (ts.isBinaryExpression(s)) {
      const op = s.operatorToken.kind;
      if (isEquality(op)) {
        const l = strip(s.left);
        const r = strip(s.right);
        let branch: Branch | undefined;
        if (isStringLike(r) && this.isEnvSelector(l)) branch = this.envNames.classify(r.text);
        else if (isStringLike(l) && this.isEnvSelector(r)) branch = this.envNames.classify(l.text);
        if (!branch) return undefined;
        return isNegativeEquality(op) ? { else: branch } : { then: branch };
      }
      if (op === ts.SyntaxKind.BarBarToken) {
        const then = sameBranch(this.condition(s.left)?.then, this.condition(s.right)?.then);
        return then ? { then } : undefined;
      }
      if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
        const then = this.condition(s.left)?.then ?? this.condition(s.right)?.then;
        return then ? { then } : undefined;
      }
      return undefined;
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
    // Vite: import.meta.env.DEV / import.meta.env.PROD
    if (ts.isPropertyAccessExpression(s) && envObject(s.expression) === 'import.meta.env') {
      if (s.name.text === 'DEV') return { then: { dev: true } };
      if (s.name.text === 'PROD') return { then: { env: 'production' } };
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
    const out: (Branch | undefined)[] = [];
    let pending: (Branch | undefined)[] = [];
    for (const clause of n.caseBlock.clauses) {
      let branch: Branch | undefined;
      if (ts.isCaseClause(clause)) {
        const e = strip(clause.expression);
        pending.push(isStringLike(e) ? this.envNames.classify(e.text) : undefined);
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

function sameBranch(a: Branch | undefined, b: Branch | undefined): Branch | undefined {
  if (!a || !b) return undefined;
  if ('dev' in a && 'dev' in b) return a;
  if ('env' in a && 'env' in b && a.env === b.env) return a;
  return undefined;
}
