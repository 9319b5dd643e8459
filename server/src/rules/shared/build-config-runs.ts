/**
 * Which scripts of the workspace run a Cloud Build file (`gcloud builds submit --config F`), and
 * with which substitutions: a substitution a script passes replaces the file's default.
 */
import type { BuildConfigRun } from '../../core/facts';
import type { WorkspaceModel } from '../../model/workspace-model';
import { candidatesFor } from '../../model/shipped-code';

export interface ConfigRunRef { file: string; run: BuildConfigRun }

/**
 * The runs of each Cloud Build file (a workspace path), built once per rule run: a script's
 * relative `--config` is taken from the workspace root (how CI and most people run scripts) or
 * from the script's own folder (a script that changes into it); a run whose file cannot be read
 * matches nothing.
 */
export function buildConfigRuns(model: WorkspaceModel): (configFile: string) => ConfigRunRef[] {
  let byConfig: Map<string, ConfigRunRef[]> | undefined;
  return (configFile) => {
    if (!byConfig) {
      byConfig = new Map();
      for (const [file, facts] of model.files) {
        for (const run of facts.buildConfigRuns ?? []) {
          const written = run.config.value;
          if (written === undefined || written.startsWith('/')) continue;
          for (const c of candidatesFor(file, written)) {
            const list = byConfig.get(c);
            if (list) list.push({ file, run }); else byConfig.set(c, [{ file, run }]);
          }
        }
      }
    }
    return byConfig.get(configFile) ?? [];
  };
}
