/**
 * The OAuth client id/secret name a service reads differs from the name its deploy provides
 * (`GOOGLE_CLIENT_ID` read, `GOOGLE_OAUTH_CLIENT_ID_STAGING` set), or services of one environment
 * use different names for the same credential. Per-environment names are understood: a
 * `_STAGING` name read in a staging branch is only needed by the staging deploy, and a
 * `_PRODUCTION` name is never expected from the staging deploy.
 *
 * One finding per deploy target, at the deploy's variable (the deploy decides what the service
 * gets), the reads related. Both ends are offered as fixes (rename the deploy's variable, or
 * rename the code's reads), each only when it cannot break another environment or another reader;
 * the one moving toward the configured convention is preferred. Services of one environment
 * naming one credential differently is a naming hint (info): each may work.
 */
import { defineRule } from './types';
import { uniqueEdits, type Fix } from '../core/edits';
import type { DeployTarget, ReadRef, WorkspaceModel, WriteRef } from '../model/workspace-model';
import { DEPLOYED_ENVIRONMENTS } from '../knowledge/environments';
import { certaintyOf, deployedTargetsOf, describeTarget, listOf, readAppliesTo, readRunsFor, nameEnvironment, serviceLabel } from './shared/deploy-knowledge';
import { conventionName, isOauthName, sameCredential, type OauthName } from './shared/oauth-names';


/** Writes of one name in a target, the deploy's own first. */
function writesNamed(t: DeployTarget, name: string): WriteRef[] {
  const refs = t.writes.get(name) ?? [];
  return [...refs.filter((r) => r.deploy), ...refs.filter((r) => !r.deploy)];
}

/** Another target holding the very same write (a shared env file or manifest) whose service reads it. */
function sharedWithReader(model: WorkspaceModel, t: DeployTarget, refs: WriteRef[]): boolean {
  return model.targets.some((o) => o !== t && refs.some((w) => (o.writes.get(w.write.name) ?? []).some((x) =>
    x.file === w.file && x.write.nameSpan.start === w.write.nameSpan.start &&
    !!o.service && (model.readsByService.get(o.service.name) ?? []).some((r) => r.read.name === w.write.name && readRunsFor(r, o, model)))));
}

/** The read handles the credential's absence (a presence test, a comparison, metadata), rather than
 * standing a value in for it: a default (`?? ""`, `.get("X", "")`) or a schema default makes the
 * service start with a client id Google rejects at sign-in, which is the mismatch's outage. */
function copesWithout(r: ReadRef): boolean {
  const stands = r.read.optionalBecause === 'default' || r.read.optionalBecause === 'schema' || r.read.optionalBecause === 'set-in-code';
  return r.read.hasDefault && !!r.read.optionalBecause && !stands;
}

export const oauthEnvMismatch = defineRule({
  meta: {
    id: 'oauth-env-mismatch',
    defaultSeverity: 'error',
    description: 'The OAuth client variable a service reads is not the one its deploy sets',
    fixable: true,
    // The code reads one name, the deploy sets another: one finding per deploy target, at the
    // deploy's variable (the reads are related, both renames are fixes). A name for another
    // environment (`…_PRODUCTION` set in staging) says so itself. `…Keeps`/`…Unreadable`/
    // `…Inferred`: lower certainty, as in env-unset-for-deploy.
    messages: {
      deployMismatch: '{{target}} sets {{written}}, but {{service}} reads {{read}}',
      deployMismatchKeeps: '{{target}} sets {{written}}, but {{service}} reads {{read}} (may be set earlier)',
      deployMismatchUnreadable: '{{target}} sets {{written}}, but {{service}} reads {{read}} (deploy not fully read)',
      deployMismatchInferred: '{{target}} sets {{written}}, but {{service}} reads {{read}} (deploy linked {{linkedBy}})',
      // Every read of the name handles its absence (a presence test, metadata; not a default that
      // stands in): the service runs without the credential, the feature it serves does not.
      // Certain in the letter, not an outage: a warning.
      deployMismatchOptional: '{{target}} sets {{written}}, but {{service}} reads {{read}} (the code runs without it)',
      // Services of one environment name one credential differently: a naming hint.
      inconsistentName: 'OAuth client {{kind}} in {{environment}}: {{service}} uses {{name}}, {{others}} {{use}} {{otherNames}}',
    },
  },
  check({ model, report }) {
    const envs = model.environments;
    const oauth = (name: string): OauthName | undefined => isOauthName(name, envs);
    const convention = model.config.oauth.convention;
    /** `${target}\0${written name}` pairs already explained by a read/write mismatch. */
    const explained = new Set<string>();

    for (const [serviceName, reads] of model.readsByService) {
      const oauthReads = reads.filter((r) => !r.isTest && !r.read.devOnly && oauth(r.read.name));
      if (oauthReads.length === 0) continue;
      const targets = deployedTargetsOf(model, serviceName);
      for (const t of targets) {
        const applicable = oauthReads.filter((r) => readRunsFor(r, t, model));
        const readNames = new Set(applicable.map((r) => r.read.name));
        const consumed = (n: string): ReadRef[] => applicable.filter((r) => r.read.name === n);
        const foreign = (n: string): boolean => { const e = nameEnvironment(n, model); return !!e && e !== t.environment; };
        // Read names the deploy lacks, grouped by the name it sets instead: a fallback chain
        // (`get("A") or get("B")`) against one deploy variable is one problem, reported once.
        const byWritten = new Map<string, string[]>();
        for (const readName of readNames) {
          if (t.writes.has(readName)) continue;
          const want = oauth(readName)!;
          const readsR = consumed(readName);
          // Same credential, another name: what the deploy provides instead.
          const provided = [...t.writes.keys()].filter((n) => n !== readName && (() => {
            const o = oauth(n);
            return !!o && sameCredential(o, want);
          })());
          if (provided.length === 0) continue; // not provided under any name: env-unset-for-deploy's finding
          // `os.environ.get("A") or os.environ["B"]`: a fallback chain the deploy already satisfies.
          if (provided.some((n) => consumed(n).length > 0 && (consumed(n).some((r) => r.read.hasDefault) || readsR.some((r) => r.read.hasDefault)))) continue;
          const ranked = [...provided].sort((a, b) => Number(consumed(a).length > 0) - Number(consumed(b).length > 0) || Number(foreign(a)) - Number(foreign(b)) || a.localeCompare(b));
          byWritten.set(ranked[0], [...(byWritten.get(ranked[0]) ?? []), readName]);
        }
        for (const [writeName, names] of byWritten) {
          const want = oauth(names[0])!;
          // The name the fix gives the deploy: the convention's when the code reads it, else the
          // one the code reads first.
          const conv = conventionName(convention, want.kind, t.environment);
          const readName = names.includes(conv) ? conv : names[0];
          const ordered = [readName, ...names.filter((n) => n !== readName)];
          const readsR = consumed(readName);
          const allReads = names.flatMap(consumed);
          const wrongEnv = foreign(writeName);
          const wRefs = writesNamed(t, writeName);
          const w = wRefs[0];
          explained.add(`${t.key}\0${writeName}`);

          const fixes: Fix[] = [];
          // Deploy end: the deploy's variable takes the name the code reads. Not when something else
          // reads the deploy's name (this service in this environment, or a service sharing the write).
          const deployOk = consumed(writeName).length === 0 && !sharedWithReader(model, t, wRefs);
          const renameDeploy: Fix | undefined = deployOk ? {
            title: `Rename ${writeName} to ${readName} in ${[...new Set(wRefs.map((x) => x.file))].join(', ')} (${describeTarget(t)})`,
            edits: uniqueEdits(wRefs.map((x) => ({ file: x.file, span: x.write.nameSpan, newText: readName }))),
            safe: false,
          } : undefined;
          // Code end: every read of that name that applies here reads the deploy's name. Not toward
          // another environment's name, not when a read also serves another target that lacks it,
          // and not across a fallback chain (two reads of one name would be left).
          const otherBroken = targets.some((o) => o !== t && readsR.some((r) => readRunsFor(r, o, model)) && !o.writes.has(writeName));
          const renameCode: Fix | undefined = !wrongEnv && !otherBroken && names.length === 1 ? {
            title: `Read ${writeName} instead of ${readName} in ${serviceName}'s code`,
            edits: uniqueEdits(readsR.map((x) => ({ file: x.file, span: x.read.nameSpan, newText: writeName }))),
            safe: false,
          } : undefined;
          // Prefer the end that moves toward the convention.
          const codeFirst = !!renameCode && (writeName === conv || !renameDeploy) && readName !== conv;
          if (renameDeploy) renameDeploy.preferred = !codeFirst;
          if (renameCode) renameCode.preferred = codeFirst;
          for (const f of codeFirst ? [renameCode, renameDeploy] : [renameDeploy, renameCode]) if (f) fixes.push(f);

          const certainty = certaintyOf(t, readName, model.words);
          const optionalOnly = allReads.every(copesWithout);
          const reason = certainty.partial === 'adds' ? 'Keeps' : certainty.partial === 'unreadable' ? 'Unreadable' : certainty.inferred ? 'Inferred'
            : optionalOnly ? 'Optional' : '';
          report({
            file: w.file,
            span: w.write.nameSpan,
            key: `deploy:${t.key}:${writeName}->${readName}`,
            severity: reason ? 'warning' : undefined,
            messageId: `deployMismatch${reason}` as const,
            data: { target: describeTarget(t), service: serviceLabel(t), read: ordered.join(' or '), written: writeName, linkedBy: certainty.linkedBy },
            related: ordered.flatMap((n) => consumed(n).slice(0, 5).map((x) => ({ file: x.file, span: x.read.nameSpan, message: `${n} read here (${x.read.via})` }))).slice(0, 6),
            fixes,
          });
        }
      }
    }

    // Services of one environment disagreeing on the name of one credential: a warning when the
    // odd one cannot be checked against its code, a hint (info) when its code reads exactly the
    // name it is given (both work; naming is a consistency matter).
    type Use = { t: DeployTarget; name: string; parsed: OauthName; refs: WriteRef[] };
    const byEnvKind = new Map<string, Use[]>();
    for (const t of model.targets) {
      if (!DEPLOYED_ENVIRONMENTS.has(t.environment)) continue;
      for (const [name, refs] of t.writes) {
        const o = oauth(name);
        if (!o || !refs.some((r) => r.deploy)) continue;
        const key = `${t.environment}\0${o.kind}`;
        byEnvKind.set(key, [...(byEnvKind.get(key) ?? []), { t, name, parsed: o, refs: writesNamed(t, name) }]);
      }
    }
    for (const [key, uses] of byEnvKind) {
      const [environment, kindName] = key.split('\0') as [string, 'ID' | 'SECRET'];
      const want = conventionName(convention, kindName, environment);
      for (const u of uses) {
        if (u.name === want || explained.has(`${u.t.key}\0${u.name}`)) continue;
        const others = uses.filter((o) => o.t !== u.t && o.name !== u.name && sameCredential(o.parsed, u.parsed));
        if (others.length === 0) continue;
        const all = u.t.service ? (model.readsByService.get(u.t.service.name) ?? []).filter((r) => !r.isTest) : [];
        const reads = all.filter((r) => readAppliesTo(r, environment, model));
        const readsOtherName = reads.some((r) => { const o = oauth(r.read.name); return !!o && r.read.name !== u.name && sameCredential(o, u.parsed); });
        // Satisfied: the code reads this very name. Both services work; only a hint remains. A
        // name's environment suffix (`…_STAGING` read in production) does not rule the read out
        // when this environment's deploy sets that very name and the code reads no other name of
        // the credential here: nothing else in the code gates it away.
        const gatedAway = (r: (typeof all)[number]): boolean => (!!r.read.inEnvironment && r.read.inEnvironment !== environment) ||
          (!!r.read.requiredIn && !r.read.requiredIn.includes(environment)) || !!r.read.notInEnvironments?.includes(environment);
        const satisfied = reads.some((r) => r.read.name === u.name) || (!readsOtherName && all.some((r) => r.read.name === u.name && !gatedAway(r)));
        // A read under another name of this credential is the first clause's business.
        if (!satisfied && readsOtherName) continue;
        const w = u.refs[0];
        const otherNames = [...new Set(others.map((o) => o.name))];
        const fixes: Fix[] = !satisfied && otherNames.includes(want) && !sharedWithReader(model, u.t, u.refs) ? [{
          title: `Rename ${u.name} to ${want} (the convention) for ${describeTarget(u.t)}`,
          edits: uniqueEdits(u.refs.map((x) => ({ file: x.file, span: x.write.nameSpan, newText: want }))),
          safe: false,
        }] : [];
        const otherServices = [...new Set(others.map((o) => serviceLabel(o.t)))];
        report({
          file: w.file,
          span: w.write.nameSpan,
          key: `env:${environment}:${u.t.serviceName}:${u.name}`,
          // Naming, not a broken rollout: the service's code reads this name, or no name of the
          // credential at all, or is not in the workspace.
          severity: 'info',
          messageId: 'inconsistentName',
          data: {
            kind: kindName.toLowerCase(), environment, service: serviceLabel(u.t), name: u.name,
            others: listOf(otherServices), use: otherServices.length === 1 ? 'uses' : 'use', otherNames: listOf(otherNames),
          },
          related: others.slice(0, 5).map((o) => ({ file: o.refs[0].file, span: o.refs[0].write.nameSpan, message: `${o.name} set here for ${describeTarget(o.t)}` })),
          fixes,
        });
      }
    }
  },
});
