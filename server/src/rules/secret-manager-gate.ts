/**
 * Code that turns Secret Manager on only when one variable (GCP_PROJECT_ID) is present. Cloud
 * Run does not set it, so one missing line in a deploy silently disables every secret. A gate on
 * a variable Cloud Run itself sets (K_SERVICE, K_REVISION, … in services; CLOUD_RUN_JOB, … in
 * jobs) is sound where it sets it, and reported only in code deployed solely as the other kind
 * (a `K_SERVICE` gate in a job never opens). The fix
 * widens the condition to any of the signals a GCP runtime gives (`x or y or …`, or `not x and
 * not y and …` for an absence test), in the condition's own accessor style.
 */
import { defineRule, type Report } from './types';
import type { Fix } from '../core/edits';
import type { SecretGateFact } from '../core/facts';
import { blockAnchor, certaintyOf, deployAnchor, deployedTargetsOf, describeTarget, describeTargets, loadedFor } from './shared/deploy-knowledge';
import { CLOUD_RUN_JOB_VARIABLES, CLOUD_RUN_SERVICE_VARIABLES, RECOMMENDED_GATE_SIGNALS, unsetOnPlatform } from '../knowledge/platform';
import { isPartialFor, type DeployTarget, type ReadRef } from '../model/workspace-model';
import { deliversSecretsItself, neededByName } from './shared/needed-env';
import { projectVariableFix } from './shared/project-variable';


/**
 * Whether the condition is true when the variable is *absent* (`not env.get("X")`,
 * `x is None`, `x === undefined`): then the widened form must require every signal to be absent.
 * The extractor gives the smallest presence/absence test, so its ends tell the polarity.
 */
export function isAbsenceTest(gate: SecretGateFact): boolean {
  const t = gate.conditionText.trim();
  if (gate.language === 'python') {
    return /^not[\s(]/.test(t) || /(?:\bis|==)\s*None$/.test(t) || /^None\s*(?:is(?!\s+not\b)|==)/.test(t);
  }
  const nullish = String.raw`(?:undefined|null|(['"\`])undefined\1)`;
  return new RegExp(String.raw`(?:^|[^!=])===?\s*${nullish}$`).test(t) || new RegExp(String.raw`^${nullish}\s*===?(?!=)`).test(t);
}

/** The condition repeated for each signal (same accessor, same test), joined with the language's
 * `or` (`and` for an absence test), in parentheses so it drops into any expression. */
export function widenedCondition(gate: SecretGateFact, signals: readonly string[] = RECOMMENDED_GATE_SIGNALS): string | undefined {
  const first = gate.nameOffsets[0];
  if (!first || gate.nameOffsets.length !== 1) return undefined;
  const names = [first.name, ...signals.filter((n) => n !== first.name)];
  const variant = (n: string) => gate.conditionText.slice(0, first.start) + n + gate.conditionText.slice(first.end);
  const absent = isAbsenceTest(gate);
  const join = gate.language === 'python' ? (absent ? ' and ' : ' or ') : (absent ? ' && ' : ' || ');
  return `(${names.map(variant).join(join)})`;
}

/** Set by Cloud Run itself in every service container or job task: a gate on one is sound. */
const SET_BY_CLOUD_RUN: ReadonlySet<string> = new Set([...CLOUD_RUN_SERVICE_VARIABLES, ...CLOUD_RUN_JOB_VARIABLES]);

export const secretManagerGate = defineRule({
  meta: {
    id: 'secret-manager-gate',
    defaultSeverity: 'warning',
    description: 'Secret Manager is enabled only when one variable (GCP_PROJECT_ID) is present',
    fixable: true,
    // `…InFunction`: the gate sits in a named function; `unwired…`: a deploy of the service that
    // replaces its whole environment does not set the variable.
    messages: {
      gate: 'Secret Manager is used only when {{name}} is set: a deploy without it gets no secrets',
      gateInFunction: '{{function}}() uses Secret Manager only when {{name}} is set: a deploy without it gets no secrets',
      unwiredGate: 'Secret Manager is used only when {{name}} is set, which {{targets}} {{do}} not set',
      unwiredGateInFunction: '{{function}}() uses Secret Manager only when {{name}} is set, which {{targets}} {{do}} not set',
      // The one deploy lacking it writes its map out merged with a variable (Terraform `merge({ … }, var.env)`).
      mergedGate: 'Secret Manager needs {{name}}, unset in {{targets}} unless {{merged}} sets it',
      mergedGateInFunction: '{{function}}(): Secret Manager needs {{name}}, unset in {{targets}} unless {{merged}} sets it',
      // A variable Cloud Run sets in the other kind of container only (`K_SERVICE` in a job).
      otherKindGate: 'Secret Manager is used only when {{name}} is set, never so in {{kind}}: {{targets}}',
      otherKindGateInFunction: '{{function}}() uses Secret Manager only when {{name}} is set, never so in {{kind}}: {{targets}}',
    },
  },
  check({ model, report }) {
    for (const [file, facts] of model.files) {
      // A test, or an operator's script run by hand or by CI: no deploy runs its gate.
      if (facts.isTest || model.outsideService.has(file)) continue;
      const seen = new Map<string, number>();
      for (const gate of facts.gates) {
        if (gate.names.length !== 1) continue;
        const name = gate.names[0];
        const service = model.services.ownerOf(file);
        const all = service ? deployedTargetsOf(model, service.name) : [];
        // Cloud Run sets K_SERVICE in every service's container (CLOUD_RUN_JOB, … in every job's):
        // no deploy can forget it, but a container of the other kind never has it.
        if (SET_BY_CLOUD_RUN.has(name)) {
          reportOtherKind(report, file, gate, name, all, seen);
          continue;
        }
        // Only compose runs the service here (a self-hosted stack): leaving the variable unset is
        // that path's design, not a deploy that forgot it. Cloud Run, GKE and functions count.
        if (all.length && all.every((t) => t.deploys.every((d) => d.deploy.platform === 'compose'))) continue;
        const targets = all.filter((t) => t.deploys.some((d) => d.deploy.platform !== 'compose'));
        // The gate's own read, in code no deploy runs (a function nothing in the workspace calls, a
        // module no program loads): the gate never decides anything there.
        const own = model.reads.find((r) => r.file === file && r.read.name === name &&
          r.read.span.start >= gate.conditionSpan.start && r.read.span.end <= gate.conditionSpan.end);
        if (own && targets.length && targets.every((t) => !loadedFor(own, t, model))) continue;
        const unwired = targets.filter((t) => !t.writes.has(name));
        const reads = service ? model.readsByService.get(service.name) ?? [] : [];
        // `config.GOOGLE_CLOUD_PROJECT`: the variable itself only where the service's schema
        // leaves the field undefined when it is unset (a default would make the test always true).
        if (gate.viaField && !reads.some((r) => !r.isTest && r.read.name === name && r.read.schemaUndefined)) continue;
        let needed: Map<string, ReadRef[]> | undefined;
        const neededOnce = (): Map<string, ReadRef[]> => (needed ??= neededByName(model, reads, new Set([name])));
        // A deploy that keeps what the service had may set it: related, not named in the message.
        const surelyUnwired = unwired.filter((t) => !isPartialFor(t, name));
        // Every deploy of the service sets it: the gate works wherever the service runs. A hint
        // that it is fragile was never judged true on real repositories (an outer gate on another
        // variable decided first; the secrets it loads were read by nothing), so nothing is said.
        // A field gate has no hint to give anywhere (its object may lack the other signals): it is
        // reported only where a deploy of the service lacks the variable.
        if (!unwired.length && (targets.length || gate.viaField)) continue;
        // A field gate's object may not have the other signals' fields: the deploys get the
        // variable instead, with their project.
        const text = gate.viaField ? undefined : widenedCondition(gate);
        const fixes: Fix[] = text ? [{
          title: `Also accept ${RECOMMENDED_GATE_SIGNALS.filter((n) => n !== name).join(', ')} as a sign of running on GCP`,
          edits: [{ file, span: gate.conditionSpan, newText: text }],
          safe: false,
          preferred: true,
        }] : gate.viaField ? unwired.flatMap((t) => projectVariableFix(t, name) ?? []) : [];
        const merged = !surelyUnwired.length && unwired.length === 1 ? certaintyOf(unwired[0], name).mergedWith : undefined;
        // The condition when it fits a line, else the variable's name in it; the fix rewrites the whole condition.
        const at = gate.nameOffsets.find((o) => o.name === name);
        const span = !gate.conditionText.includes('\n') || !at ? gate.conditionSpan
          : { start: gate.conditionSpan.start + at.start, end: gate.conditionSpan.start + at.end };
        report({
          file,
          span,
          key: findingKey(gate, name, seen),
          // Every deploy lacking it delivers the secrets itself (mounted as variables, nothing the
          // code needs left unset): a hardening hint, not a broken rollout.
          // So is a gate in code no deploy here is linked to (a library package, a service deployed
          // from elsewhere): no deploy is known to lack it. On real repositories none of these
          // warnings was true (helpers nothing calls, gates that take a second signal first).
          severity: targets.length === 0 || unwired.every((t) => deliversSecretsItself(model, t, neededOnce)) ? 'info' : undefined,
          messageId: `${surelyUnwired.length ? 'unwiredGate' : merged ? 'mergedGate' : 'gate'}${gate.functionName ? 'InFunction' : ''}` as const,
          data: { function: gate.functionName, name, targets: describeTargets(merged ? unwired : surelyUnwired), do: surelyUnwired.length === 1 ? 'does' : 'do', merged },
          related: unwired.map((t) => ({ ...blockAnchor(t, 'env'), message: `${describeTarget(t)} deployed here without ${name}` })),
          fixes,
        });
      }
    }
  },
});

/**
 * A gate on a variable Cloud Run sets in one kind of container only, in code every deploy of which
 * is the other kind (`K_SERVICE` in code deployed only as jobs): Secret Manager is never used
 * there. An error at the condition, whose fix also accepts the kind's own signal.
 */
function reportOtherKind(report: (r: Report<'otherKindGate' | 'otherKindGateInFunction'>) => void, file: string, gate: SecretGateFact, name: string,
  all: DeployTarget[], seen: Map<string, number>): void {
  const targets = all.filter((t) => t.deploys.some((d) => d.deploy.platform !== 'compose'));
  if (!targets.length || !targets.every((t) => t.deploys.every((d) => d.deploy.platform === 'compose' || unsetOnPlatform(name, d.deploy.platform)))) return;
  const jobs = targets.every((t) => t.deploys.every((d) => d.deploy.platform === 'compose' || d.deploy.platform === 'cloud-run-job'));
  const own = jobs ? 'CLOUD_RUN_JOB' : 'K_SERVICE';
  const text = widenedCondition(gate, [own]);
  report({
    file,
    span: gate.conditionSpan,
    key: findingKey(gate, name, seen),
    severity: 'error',
    messageId: gate.functionName ? 'otherKindGateInFunction' : 'otherKindGate',
    data: { function: gate.functionName, name, kind: jobs ? 'a job' : 'a service', targets: describeTargets(targets) },
    related: targets.flatMap((t) => t.deploys.filter((d) => d.deploy.platform !== 'compose').slice(0, 1).map((d) => ({ file: d.file, span: deployAnchor(d, 'env'), message: `${describeTarget(t)} deployed here as ${jobs ? 'a job' : 'a service'}` }))),
    fixes: text ? [{ title: `Also accept ${own} as a sign of running on Cloud Run`, edits: [{ file, span: gate.conditionSpan, newText: text }], safe: false, preferred: true }] : [],
  });
}

/** The finding's key: the gate's function and variable, numbered from the second such gate of the
 * file on (`seen` counts them per file). */
function findingKey(gate: SecretGateFact, name: string, seen: Map<string, number>): string {
  const base = `${gate.functionName ?? ''}:${name}`;
  const nth = seen.get(base) ?? 0;
  seen.set(base, nth + 1);
  return nth ? `${base}#${nth}` : base;
}
