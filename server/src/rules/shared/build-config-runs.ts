/**
 * Which scripts of the workspace run a Cloud Build file (`gcloud builds submit --config F`), and
 * with which substitutions: a substitution a script passes replaces the file's default.
 */
import * as path from 'node:path';
import type { BuildConfigRun } from '../../core/facts';
import type { WorkspaceModel } from '../../model/workspace-model';

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
          const candidates = new Set([path.posix.normalize(written), path.posix.normalize(path.posix.join(path.posix.dirname(file), written))]);
          for (const c of candidates) byConfig.set(c, [...(byConfig.get(c) ?? []), { file, run }]);
        }
      }
    }
    return byConfig.get(configFile) ?? [];
  };
}
