/**
 * Variables a service's own code gives a value when it starts: a module-level
 * `os.environ.setdefault("REGION", "us-central1")` (`EnvRead.setsAtImport`) fills the variable in
 * for every module loaded after it, so the service's other reads of the name have a value whether
 * or not the deploy sets one — as a default at each read would. Only code of the service counts
 * (not tests, nor operator scripts beside it), and a Django settings variant (`settings/local.py`)
 * fills in only its own reads: another variant may be the one deployed.
 *
 * Reads are replaced by copies (facts are shared with the fact cache); the refs are the model's.
 */
import { withDefault, type EnvRead } from '../core/facts';
import { isFrameworkSettingsModule } from '../knowledge/settings-modules';

/** What this needs of the model's read references (`ReadRef`). */
interface Ref { read: EnvRead; isTest: boolean; file: string }

/** A settings module the deploy may not load: a variant beside others (`settings/local.py`,
 * `settings_staging.py`), not the one module or the base every variant imports. */
function isSettingsVariant(file: string): boolean {
  return isFrameworkSettingsModule(file) && !/(^|\/)(settings|base|common|defaults|__init__)\.py$/.test(file);
}

export function setInCode(readsByService: ReadonlyMap<string, Ref[]>): void {
  for (const refs of readsByService.values()) {
    // One Django settings variant among several the deploy picks from (`DJANGO_SETTINGS_MODULE`):
    // what `settings/local.py` fills in is no value `settings/production.py` reads.
    const names = new Set<string>();
    const inSettings = new Set<string>();
    for (const r of refs) {
      if (!r.read.setsAtImport || r.isTest) continue;
      if (isSettingsVariant(r.file)) inSettings.add(`${r.file}\0${r.read.name}`);
      else names.add(r.read.name);
    }
    if (names.size === 0 && inSettings.size === 0) continue;
    for (const r of refs) {
      if (r.read.hasDefault || !(names.has(r.read.name) || inSettings.has(`${r.file}\0${r.read.name}`))) continue;
      r.read = withDefault(r.read, 'set-in-code');
    }
  }
}
