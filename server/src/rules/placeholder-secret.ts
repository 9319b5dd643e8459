/**
 * A secret-like variable whose staging/production value is a placeholder (`REPLACE_WITH_…`,
 * `changeme`, `your-…-here`, `<…>`, `TODO`) or a guessable word (`hello`, `test`, `123456`). Fires on the value, never on the name alone, and
 * never in development or template files (`.env.example`, `.env.development`). Reported once per
 * entry, however many deploy targets share the file.
 *
 * The message says where the real value should come from, in the terms of the file that holds
 * the placeholder; the fix moves it there in that file's syntax (`--set-secrets`, the secrets
 * dict, `valueFrom.secretKeyRef`, deploy-cloudrun's `secrets:`, `${NAME}` from the host for
 * compose). Never safe: the secret must exist and hold the real value. A placeholder in an env
 * file that no deploy references (a local smoke-test file) is debatable: info, and it says so.
 *
 * A setup script that stores a placeholder in Secret Manager (`echo -n "changeme" | gcloud secrets
 * versions add NAME --data-file=-`, a Python dict of secret name → value) is reported at the value
 * when a staging or production deploy takes a variable from that secret; at warning when the
 * script writes it only into a secret that does not exist yet (a seed for a new project).
 */
import { defineRule, type MessageData, type Report } from './types';
import { guessableShape, isSecretLike, isSigningSecretName, placeholderShape, selfDeclaredShape, standInShape, urlPasswordShape } from '../knowledge/secrets';
import { isBrowserPublic } from '../knowledge/build-time-env';
import type { Fix } from '../core/edits';
import type { Span } from '../core/facts';
import type { Related } from '../core/findings';
import type { DeployTarget, WorkspaceModel, WriteRef } from '../model/workspace-model';
import { DEPLOYED_ENVIRONMENTS } from '../knowledge/environments';
import { addToDeployEdit, conventionalSecretName, deployAnchor, describeTarget, liveRelated, loadedFor, readRunsFor, serviceLabel, shortPath } from './shared/deploy-knowledge';
import { moveToSecretFix, removeEntryEdit, secretFor } from './shared/secret-refs';
import { buildConfigRuns } from './shared/build-config-runs';
import { isReadByLibraries } from '../knowledge/library-env';

type Advice = 'takenFromSecret' | 'useGithubSecret' | 'useSecretKeyRef' | 'useValueSource' | 'useHostEnvironment' | 'useSetSecrets';

/** How the target's deploys are written, for advice about an env file they load. */
function deployVia(t: DeployTarget | undefined): string | undefined {
  return t?.deploys[0]?.deploy.via;
}

/** The deploys, in deployed environments, that take a variable from secret `name`. */
/** The deployed variables taken from secret `name`, in staging and production targets. */
function readersOf(model: WorkspaceModel, name: string): WriteRef[] {
  const out: WriteRef[] = [];
  for (const t of model.targets) {
    if (!DEPLOYED_ENVIRONMENTS.has(t.environment)) continue;
    for (const refs of t.writes.values()) {
      for (const w of refs) if (w.write.value.kind === 'secret' && w.write.value.secret === name) out.push(w);
    }
  }
  return out;
}

/** Whether the variable a target takes from a secret is seen to reach code: its service's code
 * reads that name — or the workspace cannot tell (no linked code, no reads seen, variables loaded
 * at start-up from a whole file). A name read only through a table of names (`{"FERNET_KEY": …}`
 * then `env.get(name)`) is not seen, so an unseen read lowers the finding to info, never silences it. */
function reachesCode(model: WorkspaceModel, w: WriteRef): boolean {
  const t = w.target;
  const variable = w.write.name;
  if (!t?.service || t.loadsEnv.length) return true;
  const reads = (model.readsByService.get(t.service.name) ?? []).filter((r) => !r.isTest);
  return reads.length === 0 || reads.some((r) => r.read.name === variable || r.read.alternatives?.includes(variable));
}

/** The names some code of the workspace reads (tests aside), once per check; a read kept in a
 * settings field nothing names reads nothing (`ReadRef.storedUnused`): `keptIn` gives its field. */
function namesRead(model: WorkspaceModel): { read: ReadonlySet<string>; keptIn: ReadonlyMap<string, string> } {
  const read = new Set<string>();
  const keptIn = new Map<string, string>();
  for (const r of model.reads) {
    if (r.isTest) continue;
    if (r.storedUnused && r.read.storedIn) {
      keptIn.set(r.read.name, r.read.storedIn);
      continue;
    }
    read.add(r.read.name);
    for (const a of r.read.alternatives ?? []) read.add(a);
  }
  return { read, keptIn };
}

/** Every read of the variable is in the target's service, in a module no program of its deploys
 * loads (a setup script beside the server: `scripts/first-run.js` when the image runs
 * `server.js`), so the value this deploy gives reaches no code it runs. Only where each such
 * module is known to be off the program's imports (`loadedFor`), never for a name a library reads
 * by itself or a target that loads a whole env file. */
function readOffProgram(model: WorkspaceModel, w: WriteRef): boolean {
  const t = w.target;
  const name = w.write.name;
  if (!t?.service || t.loadsEnv.length || isReadByLibraries(name)) return false;
  const reads = model.reads.filter((r) => !r.isTest && (r.read.name === name || r.read.alternatives?.includes(name)));
  return reads.length > 0 && reads.every((r) => r.service === t.service && !loadedFor(r, t, model));
}

/** Where the real value should come from, in the terms of the file that holds the placeholder:
 * the message to report, the data its advice needs, the related locations and the fix. */
function whereFrom(w: WriteRef, environment: string, model: WorkspaceModel): { messageId: Advice; data: MessageData; related: Related[]; fix?: Fix } {
  const t = w.target;
  // The deploy already takes this variable from a secret: the placeholder is a stray copy.
  const fromSecret = t ? [...(t.writes.get(w.write.name) ?? [])].find((x) => x !== w && x.write.value.kind === 'secret') : undefined;
  // Another deploy of the target taking it from a secret is no reference this deploy keeps: moving
  // the value to that secret is the fix, and the other deploy says which secret.
  const elsewhere = fromSecret && w.deploy && fromSecret.deploy !== w.deploy ? fromSecret : undefined;
  if (fromSecret && !elsewhere && fromSecret.write.value.kind === 'secret') {
    // A stray copy inside the deploy itself goes; one in an env file may serve local runs: no fix.
    const remove = w.deploy ? removeEntryEdit(w) : undefined;
    return {
      messageId: 'takenFromSecret',
      data: { secret: fromSecret.write.value.secret },
      related: [{ file: fromSecret.file, span: fromSecret.write.nameSpan, message: `${w.write.name} taken from secret ${fromSecret.write.value.secret} here` }],
      fix: remove ? { title: `Remove the placeholder ${w.write.name} (the secret reference stays)`, edits: [remove], safe: false, preferred: true } : undefined,
    };
  }
  const ref = elsewhere?.write.value.kind === 'secret' ? { secret: elsewhere.write.value.secret, version: elsewhere.write.value.version ?? 'latest' }
    : t ? secretFor(w.write.name, t, model) : { secret: conventionalSecretName(w.write.name, environment, undefined, model), version: 'latest' };
  const related: Related[] = elsewhere ? [{ file: elsewhere.file, span: elsewhere.write.nameSpan, message: `${w.write.name} taken from secret ${ref.secret} here` }]
    : t && !w.deploy ? t.deploys.slice(0, 1).map((d) => ({ file: d.file, span: d.deploy.service?.span ?? { start: d.deploy.span.start, end: d.deploy.span.start }, message: `deploy of ${describeTarget(t)}` })) : [];
  const fix = moveToSecretFix(w, ref.secret, ref.version);
  switch (w.deploy?.via ?? deployVia(t)) {
    case 'github-actions':
      return { messageId: 'useGithubSecret', data: { secret: ref.secret }, related, fix };
    case 'knative':
    case 'kubernetes':
      return { messageId: 'useSecretKeyRef', data: { secret: ref.secret }, related, fix };
    case 'terraform':
      return { messageId: 'useValueSource', data: { secret: ref.secret }, related, fix };
    case 'compose':
      return { messageId: 'useHostEnvironment', data: {}, related, fix };
    default:
      return { messageId: 'useSetSecrets', data: { secret: ref.secret }, related, fix };
  }
}

/** An env file that no deploy of the write's target loads (a `.env.staging` beside the code,
 * or one attached to no target at all): a placeholder there is debatable. */
function inUnreferencedFile(w: WriteRef, model: WorkspaceModel): boolean {
  if (w.deploy) return false;
  if (!w.target) return true;
  return !model.targets.some((t) => t.envFiles.some((f) => f.file === w.file && f.referenced));
}

export const placeholderSecret = defineRule({
  meta: {
    id: 'placeholder-secret',
    defaultSeverity: 'error',
    description: 'A secret-like variable holds a placeholder value in staging or production',
    fixable: true,
    // One message per place the real value should come from; `{{what}}` is the variable with its
    // service and environment, `{{kind}}` what its value is (a placeholder, or a guessable word:
    // `123456` may be the real password, and is no secret either way). `unreferenced`: in an env
    // file no deploy loads (info; where the deploys take the value from is related).
    messages: {
      takenFromSecret: '{{what}} is {{kind}}; the deploy takes it from secret {{secret}}',
      useGithubSecret: '{{what}} is {{kind}}: take it from a GitHub or Secret Manager secret',
      useSecretKeyRef: '{{what}} is {{kind}}: reference secret {{secret}} with secretKeyRef',
      useValueSource: '{{what}} is {{kind}}: reference secret {{secret}} with value_source',
      useHostEnvironment: '{{what}} is {{kind}}: pass it from the host environment',
      useSetSecrets: '{{what}} is {{kind}}: take it from secret {{secret}} (--set-secrets)',
      unreferenced: '{{what}} is {{kind}}, in an env file no deploy loads',
      // A script nothing here runs or names, of a service another file deploys and runs
      // (model/variant-scripts.ts): likely a leftover, and wrong if run again. Information.
      inVariantScript: '{{what}} is {{kind}}, in a script nothing here runs',
      // No code anywhere in the workspace reads the name, and no library we know reads it by
      // itself: the placeholder reaches nothing seen (a read through a table of names would not
      // be seen, hence information rather than silence).
      unreadPlaceholder: '{{what}} is {{kind}}, and no code here is seen to read it',
      // Only modules the deploy's program never loads read the name (a setup script beside the
      // server): the value reaches nothing the service runs. Information.
      unreadByProgram: '{{what}} is {{kind}}, and only code this deploy does not run reads it',
      // Every read keeps the value in a settings field (`secret_key` of a pydantic-settings class)
      // that no code names: the value reaches nothing. Information.
      unusedField: '{{what}} is {{kind}}, kept in settings field {{field}}, which no code here uses',
      // The file's default for a Cloud Build substitution, and a script here runs the file without
      // passing it: shipped unless a trigger overrides it.
      substitutionDefault: '{{what}} is {{kind}} by default (substitution {{substitution}}; a trigger may override it)',
      // No script here runs the file: a trigger does, configured elsewhere, and a placeholder
      // default is how a template asks for its value. Information.
      substitutionDefaultUnrun: '{{what}} is {{kind}} by default (substitution {{substitution}}; no script here runs it)',
      // The script's default for a variable it never sets (`${GEMINI_API_KEY:-<your-key>}`):
      // shipped whenever its caller forgets to export one. The fix makes the script stop instead.
      callerDefault: '{{what}} is {{kind}} unless the caller exports {{variable}} (the script\'s default)',
      // The image's Dockerfile sets the name (`ENV SECRET_KEY=django-insecure-…`, for a build
      // step) and the deploy does not: the service runs with that value.
      imagePlaceholder: '{{what}} is {{kind}} from {{dockerfile}}: the deploy does not set it',
      // …where the deploy keeps what the service had: the value may be set outside the repository.
      imagePlaceholderKept: '{{what}} may be {{kind}} from {{dockerfile}}; earlier {{kept}} are kept',
      storedPlaceholderUnread: 'secret {{secret}} is stored as a placeholder here; whatever takes it gets the placeholder',
      storedPlaceholder: 'secret {{secret}} is stored as a placeholder here, and {{readers}} {{take}} it',
      // Written only after a failed lookup of the secret: a new project gets it, one that has the
      // secret never does. True, and a maintainer may have replaced it since: a warning.
      storedPlaceholderSeededUnread: 'secret {{secret}}, when new, is seeded with a placeholder here; whatever takes it gets the placeholder',
      storedPlaceholderSeeded: 'secret {{secret}}, when new, is seeded with a placeholder here; {{readers}} {{take}} it',
      storedPlaceholderAnnounced: 'secret {{secret}} is seeded with a placeholder to replace; {{readers}} {{take}} it',
    },
  },
  check({ model, report }) {
    reportImagePlaceholders(model, report);
    // One finding per entry: an env file shared by several targets holds the placeholder once.
    const seen = new Set<string>();
    const runsOf = buildConfigRuns(model);
    let names: ReturnType<typeof namesRead> | undefined;
    for (const w of model.writes) {
      if (!w.environment || !DEPLOYED_ENVIRONMENTS.has(w.environment)) continue;
      if (w.write.value.kind !== 'literal' || !isSecretLike(w.write.name)) continue;
      // A value the front-end build ships to every browser is public by design: a placeholder
      // there is unfinished configuration, not a secret given away.
      if (isBrowserPublic(w.write.name)) continue;
      const v = w.write.value.value;
      // A connection string's password is not judged here: a deploy's URL is most often put
      // together from a substitution or a variable (`postgresql://app:${_DB_PASSWORD}@…`) whose
      // default a trigger or the caller replaces, which the resolved value no longer shows.
      const kind = standInKind(v, w.deploy?.platform === 'cloud-run-job', w.write.name);
      if (!kind) continue;
      // With the name: entries of a list whose offsets are not known share the list's span.
      const at = `${w.file}\0${w.write.nameSpan.start}\0${w.write.name}`;
      if (seen.has(at)) continue;
      seen.add(at);
      const from = whereFrom(w, w.environment, model);
      const service = w.target ? serviceLabel(w.target) : w.serviceName?.trim();
      const what = service ? `${w.write.name} for ${service} (${w.environment})` : `${w.write.name} (${w.environment})`;
      const unreferenced = inUnreferencedFile(w, model);
      const substitution = w.write.value.substitution;
      const runs = substitution ? runsOf(w.file) : [];
      // A script that runs the file passing the substitution replaces the default.
      if (substitution && runs.some((r) => r.run.dynamic || r.run.substitutions.includes(substitution))) continue;
      const substitutionMessage = runs.length ? 'substitutionDefault' as const : 'substitutionDefaultUnrun' as const;
      const callerDefault = w.write.value.callerDefault;
      // Only for a target whose code is known: without it, "no code reads it" says nothing.
      const unread = !unreferenced && !substitution && !!w.target?.service && !w.target.loadsEnv.length &&
        !isReadByLibraries(w.write.name) && !(names ??= namesRead(model)).read.has(w.write.name);
      // Read only into a settings field nothing names: the value is kept and never used.
      const keptIn = unread ? names?.keptIn.get(w.write.name) : undefined;
      // A script nothing here runs, beside the deploy of the service that does
      // (model/variant-scripts.ts): the placeholder ships only if someone runs it again.
      const offProgram = !unreferenced && !substitution && !unread && readOffProgram(model, w);
      const live = !unreferenced && !substitution && !unread && !offProgram && w.deploy ? model.variants.get(w.deploy) : undefined;
      report({
        file: w.file,
        span: w.write.value.span,
        // The target's name: two targets of one service (a program each) hold a value each.
        key: `${w.environment}:${w.target?.serviceName ?? w.serviceName}:${w.write.name}`,
        severity: unreferenced || unread || offProgram || live || (substitution && !runs.length) ? 'info' : substitution || callerDefault ? 'warning' : undefined,
        messageId: unreferenced ? 'unreferenced' : substitution ? substitutionMessage : keptIn ? 'unusedField' : unread ? 'unreadPlaceholder' : offProgram ? 'unreadByProgram' : live ? 'inVariantScript' : callerDefault ? 'callerDefault' : from.messageId,
        data: { what, kind, ...from.data, ...(substitution ? { substitution } : {}), ...(callerDefault ? { variable: callerDefault.name } : {}), ...(keptIn ? { field: keptIn } : {}) },
        related: live ? [liveRelated(live), ...from.related] : from.related,
        fixes: unreferenced ? [] : callerDefault ? [requireExportFix(w.file, callerDefault), ...(from.fix ? [{ ...from.fix, preferred: false }] : [])] : from.fix ? [from.fix] : [],
      });
    }
    for (const [file, facts] of model.files) {
      if (facts.isTest) continue;
      for (const sv of facts.secretValues) {
        // A guessable word counts only in a secret whose name says it is one (`jwt-secret-staging`,
        // not `clickhouse-user-staging`, whose `default` is a real user).
        const shape = placeholderShape(sv.value) ?? urlPasswordShape(sv.value) ??
          (isSecretLike(sv.secret.replace(/-/g, '_')) ? guessableShape(sv.value) ?? standInShape(sv.value) ?? selfDeclaredShape(sv.value) : undefined);
        if (!shape) continue;
        const mounted = readersOf(model, sv.secret);
        const used = mounted.filter((w) => reachesCode(model, w));
        // Mounted only under names no code of those services is seen to read.
        const unusedMount = mounted.length > 0 && used.length === 0;
        const readers = unusedMount ? mounted : used;
        const named = model.environments.fromName(sv.secret);
        if (readers.length === 0) {
          // No deploy here takes it (it may be mounted by a command built elsewhere, Terraform or
          // the console): a secret named for staging or production still holds a wrong value, but
          // how much it matters is unseen. Other secrets (sandboxes, examples) stay quiet.
          if (!named || !DEPLOYED_ENVIRONMENTS.has(named)) continue;
          // Seeded only into a project lacking the secret as well: two hedges, info.
          report({ file, span: sv.valueSpan, key: `stored:${sv.secret}`, messageId: sv.onlyWhenNew ? 'storedPlaceholderSeededUnread' : 'storedPlaceholderUnread', data: { secret: sv.secret, shape }, severity: sv.onlyWhenNew ? 'info' : 'warning' });
          continue;
        }
        const names = [...new Set(readers.map((r) => `${r.write.name} of ${r.serviceName} (${r.environment})`))];
        report({
          file,
          span: sv.valueSpan,
          key: `stored:${sv.secret}`,
          messageId: sv.announced ? 'storedPlaceholderAnnounced' : sv.onlyWhenNew ? 'storedPlaceholderSeeded' : 'storedPlaceholder',
          // Mounted only under names the service's code shows no read of: what the placeholder
          // reaches is unseen (a read through a name table, or none at all): info. So is a
          // bootstrap step the script itself tells its operator to follow with a real value.
          severity: unusedMount || sv.announced ? 'info' : sv.onlyWhenNew ? 'warning' : undefined,
          // The first reader by name, the others counted: every one is a related location.
          data: {
            secret: sv.secret,
            readers: names.length > 1 ? `${names[0]} and ${names.length - 1} more` : names[0],
            take: names.length > 1 ? 'take' : 'takes',
          },
          related: readers.map((r) => ({ file: r.file, span: r.write.span, message: `${r.write.name} of ${r.serviceName} (${r.environment}) is taken from secret ${sv.secret} here` })),
        });
      }
    }
  },
});

/** The kind of stand-in a value is, for `{{kind}}`; undefined for a value that is none. A value
 * that declares itself a development one (`django-insecure-…`), or any stand-in for a signing key
 * (`SECRET_KEY`, `JWT_SECRET`), counts only where it signs something: a service, not a job (a
 * migration or a seed signs nothing; the framework only asks that the key be set). */
function standInKind(value: string, job: boolean, name: string): string | undefined {
  if (job && isSigningSecretName(name)) return undefined;
  if (placeholderShape(value) || standInShape(value) || (!job && selfDeclaredShape(value))) return 'a placeholder';
  return guessableShape(value) ? 'a guessable word' : undefined;
}

/**
 * A secret the image's Dockerfile sets to a stand-in (`ENV SECRET_KEY=django-insecure-build-key`,
 * there for `collectstatic` or a build) that a deploy of that image does not set, while the
 * service's code reads it: the service runs with the value anyone can read in the repository. An
 * error where the deploy replaces the variables and secrets; where it keeps what the service had,
 * a warning when another deploy here sets the name (the value is meant to come from a deploy),
 * information when none does (it may be managed outside the repository). At the deploy, the
 * Dockerfile's line and a read related; the fix takes it from a secret there.
 */
function reportImagePlaceholders(model: WorkspaceModel, report: (r: Report<'imagePlaceholder' | 'imagePlaceholderKept'>) => void): void {
  const notDeployed = new Set(model.notDeployed.map((d) => d.deploy));
  for (const t of model.targets) {
    if (!DEPLOYED_ENVIRONMENTS.has(t.environment) || !t.service || t.loadsEnv.length) continue;
    const reads = (model.readsByService.get(t.service.name) ?? []).filter((r) => !r.isTest);
    for (const d of t.deploys) {
      const fact = d.deploy;
      const values = d.imageEnvFrom ? model.files.get(d.imageEnvFrom)?.dockerfile?.envValues : undefined;
      if (!values || fact.opaque || fact.envFiles.length || notDeployed.has(fact) || model.unapplied.has(fact) || model.variants.has(fact)) continue;
      const own = new Set(fact.blocks.flatMap((b) => b.entries.map((e) => e.name)));
      for (const { name, value, span } of values) {
        const kind = isSecretLike(name) && !isBrowserPublic(name) ? standInKind(value, fact.platform === 'cloud-run-job', name) : undefined;
        if (!kind || own.has(name)) continue;
        const readers = reads.filter((r) => r.read.name === name && readRunsFor(r, t, model));
        if (!readers.length) continue;
        // What the deploy keeps of the service's earlier entries, either of which may hold the name.
        const keeps = new Set(t.partial.filter((p) => p.file === d.file).map((p) => p.kind));
        const kept = keeps.size === 0 ? undefined : keeps.has(undefined) || keeps.size > 1 ? 'variables and secrets' : keeps.has('secrets') ? 'secrets' : 'variables';
        const setElsewhere = model.targets.some((o) => (o.writes.get(name) ?? []).some((w) => w.deploy && w.deploy !== fact));
        const ref = secretFor(name, t, model);
        const added = addToDeployEdit(d, 'secrets', name, [{ kind: 'secret', secret: ref.secret, version: ref.version }]);
        report({
          file: d.file,
          span: deployAnchor(d, 'secrets'),
          key: `image:${t.key}:${name}:${d.file}:${fact.span.start}`,
          severity: !kept ? 'error' : setElsewhere ? 'warning' : 'info',
          messageId: kept ? 'imagePlaceholderKept' : 'imagePlaceholder',
          data: { what: `${name} for ${serviceLabel(t)} (${t.environment})`, kind, dockerfile: shortPath(d.imageEnvFrom!), kept: kept ?? '' },
          related: [
            { file: d.imageEnvFrom!, span, message: `${name} set here in the image, to ${kind}` },
            ...readers.slice(0, 2).map((r) => ({ file: r.file, span: r.read.nameSpan, message: `${name} read here` })),
          ],
          fixes: added ? [{ title: `Take ${name} from secret ${ref.secret}:${ref.version} in this deploy${added.shared ? ` ${added.shared}` : ''}`, edits: [added.edit], safe: false, preferred: true }] : [],
        });
      }
    }
  }
}

/** `${GEMINI_API_KEY:-<your-key>}` → `${GEMINI_API_KEY:?export GEMINI_API_KEY}`: the shell stops the
 * script with that message where the caller exports none, so the placeholder never ships. */
function requireExportFix(file: string, d: { name: string; at: Span }): Fix {
  return {
    title: `Stop the script when ${d.name} is not exported, instead of deploying the placeholder`,
    edits: [{ file, span: d.at, newText: `\${${d.name}:?export ${d.name}}` }],
    safe: false,
    preferred: true,
  };
}
