/**
 * What the concerns of the walk share: the file being walked (its source, text, facts and span
 * helpers) and the context the walk carries to each node (environment branch, enclosing function
 * and class).
 *
 * Offsets from `ts` are UTF-16 string indices, like every span in the facts; starts come from
 * `getStart(sf)`, which skips leading trivia.
 */
import { ts as tsMorphTs } from 'ts-morph';
// A local alias: ts-morph exports `ts` through a getter, which is measurable in a per-node walk.
import ts = tsMorphTs;
import type { EnvSwitch, FileFacts, PresenceCall, Span } from '../../core/facts';

/** An enclosing function: alias scopes end with it, and a gate reports its name. */
export interface ScopeInfo {
  node: ts.Node;
  name?: string;
  parent?: ScopeInfo;
}

/** What a class says about one of its fields. */
export interface FieldInfo {
  typeName?: string;
  enumCandidates: string[];
  classCandidates: string[];
  /** Initializer and `this.f = v` right-hand sides, for property accessors' returns. */
  values: ts.Expression[];
}

/** An enclosing class: its fields place `this.x` receivers, its name and text mark gates. */
export interface ClassInfo {
  node: ts.ClassLikeDeclaration;
  name?: string;
  fields: Map<string, FieldInfo>;
  parent?: ClassInfo;
}

/** The context at a node. Shared by reference down the tree; a branch or scope makes a new one. */
export interface Ctx {
  devOnly: boolean;
  inEnvironment?: string;
  /** Presence tests of other variables that hold here (switches.ts). */
  onlyWhen?: EnvSwitch[];
  /** Calls of other modules' presence checks that returned true to get here (`checkSides`). */
  checks?: PresenceCall[];
  scope?: ScopeInfo;
  cls?: ClassInfo;
}

export class Source {
  private topConsts?: Map<string, ts.Expression>;

  constructor(readonly sf: ts.SourceFile, readonly text: string, readonly facts: FileFacts) {}

  span(n: ts.Node): Span {
    return { start: n.getStart(this.sf), end: n.getEnd() };
  }

  /** The content of a string literal (inside the quotes) when it is written without escapes. */
  contentSpan(n: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral): Span {
    const start = n.getStart(this.sf) + 1;
    const end = n.getEnd() - 1;
    return this.text.slice(start, end) === n.text ? { start, end } : this.span(n);
  }

  /** The source text of `n`. */
  textOf(n: ts.Node): string {
    return this.text.slice(n.getStart(this.sf), n.getEnd());
  }

  /** The initializer of a top-level `const name = ...` (schemas and envalid specs are declared once per file). */
  readonly topConst = (name: string): ts.Expression | undefined => {
    if (!this.topConsts) {
      this.topConsts = new Map();
      for (const st of this.sf.statements) {
        if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
        for (const d of st.declarationList.declarations) {
          if (ts.isIdentifier(d.name) && d.initializer) this.topConsts.set(d.name.text, d.initializer);
        }
      }
    }
    return this.topConsts.get(name);
  };
}
