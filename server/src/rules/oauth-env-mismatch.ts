/**
 * The OAuth client id/secret name a service reads differs from the name its deploy provides
 * (`GOOGLE_CLIENT_ID` read, `GOOGLE_OAUTH_CLIENT_ID_STAGING` set), or services of one environment
 * use different names for the same credential. Per-environment names are understood: a
 * `_STAGING` name read in a staging branch is only needed by the staging deploy.
 */
import type { Rule, Fix } from './types';
import type { DeployTarget, ReadRef, WriteRef } from '../model/workspace-model';
import { deployedTargetsOf, describeTarget, readAppliesTo, nameEnvironment } from './shared/deploy-knowledge';
import { conventionName, isOauthName } from './shared/oauth-names';

export const oauthEnvMismatch: Rule = {
  meta: {
    id: 'oauth-env-mismatch',
    defaultSeverity: 'error',
    description: 'The OAuth client variable a service reads is not the one its deploy sets',
    fixable: true,
  },
  check({ model, report }) {
    const reported = new Set<WriteRef>();
    const convention = model.config.oauth.convention;
    for (const [serviceName, reads] of model.readsByService) {
      const oauthReads = reads.filter((r) => !r.isTest && !r.read.devOnly && isOauthName(r.read.name));
      if (oauthReads.length === 0) continue;
      const targets = deployedTargetsOf(model, serviceName);
      for (const t of targets) {
        const writesOf = (kind: string): WriteRef[] => [...t.writes.values()].flat().filter((w) => {
          const o = isOauthName(w.write.name);
          if (!o || o.kind !== kind) return false;
          const env = nameEnvironment(w.write.name, model);
          return !env || env === t.environment;
        });
        for (const r of oauthReads) {
          if (!readAppliesTo(r, t.environment, model) || t.writes.has(r.read.name)) continue;
          const kind = isOauthName(r.read.name)!.kind;
          const provided = writesOf(kind).filter((w) => w.write.name !== r.read.name);
          if (provided.length === 0) continue; // not set under any name: env-unset-for-deploy's finding
          const w = provided[0];
          const want = conventionName(convention, kind, t.environment);
          const otherTargetsNeedRead = targets.some((o) => o !== t && o.writes.has(r.read.name));
          const renameDeploy: Fix = {
            title: `Rename ${w.write.name} to ${r.read.name} in ${w.file}`,
            edits: [{ file: w.file, span: w.write.nameSpan, newText: r.read.name }],
            safe: false,
          };
          const readsToRename = oauthReads.filter((x) => x.read.name === r.read.name && readAppliesTo(x, t.environment, model));
          const renameCode: Fix = {
            title: `Read ${w.write.name} instead of ${r.read.name} in ${serviceName}'s code`,
            edits: readsToRename.map((x) => ({ file: x.file, span: x.read.nameSpan, newText: w.write.name })),
            safe: false,
          };
          // Prefer the end that moves toward the convention without breaking another environment.
          const codePreferred = w.write.name === want && !otherTargetsNeedRead;
          renameDeploy.preferred = !codePreferred;
          renameCode.preferred = codePreferred;
          const fixes = otherTargetsNeedRead ? [renameDeploy] : codePreferred ? [renameCode, renameDeploy] : [renameDeploy, renameCode];
          reported.add(w);
          report({
            file: w.file,
            span: w.write.nameSpan,
            key: `deploy:${t.key}:${w.write.name}->${r.read.name}`,
            message: `${describeTarget(t)} sets ${w.write.name}, but ${serviceName} reads ${r.read.name} (OAuth client ${kind.toLowerCase()}): the service gets no credential`,
            related: readsToRename.slice(0, 5).map((x: ReadRef) => ({ file: x.file, span: x.read.nameSpan, message: `${r.read.name} read here` })),
            fixes,
          });
          report({
            file: r.file,
            span: r.read.nameSpan,
            key: `read:${t.key}:${r.read.name}->${w.write.name}`,
            message: `${r.read.name} is not set in ${t.environment}: the ${t.environment} deploy of ${serviceName} provides the OAuth client ${kind.toLowerCase()} as ${w.write.name}`,
            related: [{ file: w.file, span: w.write.nameSpan, message: `${w.write.name} set here for ${describeTarget(t)}` }],
            fixes,
          });
        }
      }
    }

    // Services of one environment disagreeing on the name of one credential.
    const byEnvKind = new Map<string, Map<string, WriteRef[]>>();
    for (const t of model.targets) {
      for (const refs of t.writes.values()) {
        for (const w of refs) {
          const o = isOauthName(w.write.name);
          if (!o) continue;
          const key = `${t.environment}\0${o.kind}`;
          const names = byEnvKind.get(key) ?? new Map<string, WriteRef[]>();
          const list = names.get(w.write.name) ?? [];
          list.push(w);
          names.set(w.write.name, list);
          byEnvKind.set(key, names);
        }
      }
    }
    for (const [key, names] of byEnvKind) {
      if (names.size < 2) continue;
      const [environment, kind] = key.split('\0') as [string, 'ID' | 'SECRET'];
      const want = conventionName(convention, kind, environment);
      for (const [name, refs] of names) {
        if (name === want) continue;
        for (const w of refs) {
          if (reported.has(w)) continue;
          const others = [...names.entries()].filter(([n]) => n !== name).flatMap(([, r]) => r);
          report({
            file: w.file,
            span: w.write.nameSpan,
            key: `env:${environment}:${w.serviceName}:${name}`,
            severity: 'warning',
            message: `${w.serviceName ?? 'this deploy'} (${environment}) names the OAuth client ${kind.toLowerCase()} ${name}, other ${environment} services use ${[...names.keys()].filter((n) => n !== name).join(', ')}; the convention is ${want}`,
            related: others.slice(0, 5).map((o) => ({ file: o.file, span: o.write.nameSpan, message: `${o.write.name} set here for ${o.serviceName ?? 'another service'}` })),
          });
        }
      }
    }
  },
};
