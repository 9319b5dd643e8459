/**
 * The repository's deploy of a Cloud Run service or job disagrees with what is running (the
 * state `deploy-preflight drift` reads from recordings or from gcloud; without it this rule is
 * silent):
 * - a variable or secret reference is live but not in the deploy: a deploy that replaces the
 *   service's variables (`--set-env-vars`, `--set-secrets`, a `services replace` manifest) removes
 *   it, so the next deploy breaks whatever reads it; a deploy that only adds (`--update-*`, or one
 *   that sets no variables of that kind) keeps it, and the message says so at a lower severity;
 * - the deploy sets a variable the running service does not have: the change was never deployed;
 * - both have it, but from different secrets, or one from a secret and the other as a plain value.
 * Reported at the deploy (its deployed name for what the deploy lacks, the entry otherwise), with
 * the code that reads the variable related. Plain values are never compared: they are not kept.
 */
import { defineRule } from './types';
import type { Related } from '../core/findings';
import type { DeployedEnvEntry } from '../core/deployed';
import type { DeployTarget, WorkspaceModel, WriteRef } from '../model/workspace-model';
import { workloadOf, type LiveAddress } from '../model/live-state';
import { describeTarget, isPlatformProvided, requiredReads } from './shared/deploy-knowledge';

/** The writes a Cloud Run deploy of the target ships: its own flags and lists, and the env files
 * it names (`--env-vars-file`). A `.env.<env>` the model attaches by name alone is the app's to
 * load, not part of the service's variables. */
function shippedWrites(t: DeployTarget): Map<string, WriteRef[]> {
  const referenced = new Set(t.envFiles.filter((e) => e.referenced).map((e) => e.file));
  const out = new Map<string, WriteRef[]>();
  for (const [name, refs] of t.writes) {
    const shipped = refs.filter((w) => (w.deploy && (w.deploy.platform === 'cloud-run' || w.deploy.platform === 'cloud-run-job' || w.deploy.via === 'knative')) || referenced.has(w.file));
    if (shipped.length) out.set(name, shipped);
  }
  return out;
}

/** Whether the target's deploys keep live entries of this kind (they only add to them). */
function keeps(t: DeployTarget, kind: 'env' | 'secrets'): boolean {
  return t.partial.some((p) => !p.kind || p.kind === kind);
}

function readsOf(model: WorkspaceModel, t: DeployTarget, name: string): { related: Related[]; required: boolean } {
  const reads = (t.service ? model.readsByService.get(t.service.name) ?? [] : []).filter((r) => r.read.name === name && !r.isTest);
  return {
    related: reads.slice(0, 1).map((r) => ({ file: r.file, span: r.read.nameSpan, message: `${name} read here by ${t.serviceName}` })),
    required: requiredReads(reads).length > 0,
  };
}

const describeLive = (e: DeployedEnvEntry): string => (e.secret ? `from secret ${e.secret.name}` : 'as a plain value');

export const deployDrift = defineRule({
  meta: {
    id: 'deploy-drift',
    defaultSeverity: 'warning',
    description: 'The repository\'s deploy of a Cloud Run service disagrees with what is running',
    fixable: false,
    messages: {
      liveOnly: '{{name}} is live on {{live}} ({{how}}); this deploy would remove it',
      liveKept: '{{name}} is live on {{live}} but not recorded here: kept, as this deploy only adds {{kind}}',
      notLive: '{{name}} is set here but not on the running {{live}}: never deployed',
      otherSecret: '{{name}} comes from secret {{secret}} here, but from {{liveSecret}} on the running {{live}}',
      liveFromSecret: '{{name}} is a plain value here, but secret {{liveSecret}} live: the next deploy drops the reference',
      liveIsPlain: '{{name}} comes from secret {{secret}} here, but is a plain value live: never deployed',
    },
  },
  check({ model, report }) {
    const state = model.deployed;
    if (!state) return;
    for (const t of model.targets) {
      const match = workloadOf(state, t);
      if (!match) continue;
      const { workload, address } = match;
      const live = `${workload.kind} ${workload.name}`;
      const repo = shippedWrites(t);
      const target = describeTarget(t);
      const anchor = (a: LiveAddress) => ({ file: a.deploy.file, span: a.deploy.deploy.service?.span ?? a.deploy.deploy.span });
      const liveByName = new Map(workload.env.map((e) => [e.name, e]));

      for (const e of workload.env) {
        if (repo.has(e.name) || isPlatformProvided(e.name, model)) continue;
        const kind = e.secret ? 'secrets' : 'env';
        const kept = keeps(t, kind);
        const reads = readsOf(model, t, e.name);
        report({
          ...anchor(address),
          key: `${t.key}:${e.name}:live-only`,
          messageId: kept ? 'liveKept' : 'liveOnly',
          data: { name: e.name, live, how: describeLive(e), target, kind: kind === 'env' ? 'variables' : 'secret references' },
          severity: kept ? 'info' : reads.required ? 'error' : undefined,
          related: reads.related,
        });
      }
      for (const [name, refs] of repo) {
        const w = refs[refs.length - 1];
        const l = liveByName.get(name);
        const v = w.write.value;
        if (!l) {
          report({ file: w.file, span: w.write.nameSpan, key: `${t.key}:${name}:not-live`, messageId: 'notLive', data: { name, target, live }, related: readsOf(model, t, name).related });
        } else if (v.kind === 'secret' && l.secret && l.secret.name !== v.secret && !l.secret.name.endsWith(`/secrets/${v.secret}`)) {
          report({ file: w.file, span: v.span, key: `${t.key}:${name}:other-secret`, messageId: 'otherSecret', data: { name, secret: v.secret, live, liveSecret: l.secret.name } });
        } else if (v.kind === 'secret' && !l.secret) {
          report({ file: w.file, span: v.span, key: `${t.key}:${name}:live-plain`, messageId: 'liveIsPlain', data: { name, secret: v.secret, live } });
        } else if (v.kind === 'literal' && l.secret) {
          report({ file: w.file, span: w.write.nameSpan, key: `${t.key}:${name}:live-secret`, messageId: 'liveFromSecret', data: { name, live, liveSecret: l.secret.name } });
        }
      }
    }
  },
});
