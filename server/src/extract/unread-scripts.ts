/**
 * Batch deploy scripts (`deploy_backend.bat`): this tool has no reader for their language, so
 * their deploys are not checked. Rather than pass over them in silence, a script whose words name
 * a Cloud Run deploy is noted, and `--explain` lists it. The test is a word check, like the
 * extractors' prefilters: nothing is read from the command. The PowerShell reader
 * (extract/powershell.ts) asks the same question of a script it could not read exactly.
 */
import type { FileFacts } from '../core/facts';

/** `gcloud run deploy`, `gcloud run services replace|update`, `gcloud run jobs deploy|create|update`. */
const RUN_COMMANDS = [['deploy'], ['services', 'replace'], ['services', 'update'], ['jobs', 'deploy'], ['jobs', 'create'], ['jobs', 'update']];

/** Whether `text` holds `gcloud … run <command>` as consecutive words (a line continuation between them allowed). */
export function namesCloudRunDeploy(text: string): boolean {
  if (!text.includes('gcloud')) return false;
  const words = text.toLowerCase().split(/[\s`^]+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    if (!/^["']?gcloud(\.cmd|\.exe)?["']?$/.test(words[i]!)) continue;
    // Global flags may come first (`gcloud --project p run deploy`): look a few words on.
    for (let j = i + 1; j < Math.min(words.length, i + 6); j++) {
      if (words[j] !== 'run') continue;
      if (RUN_COMMANDS.some((c) => c.every((w, k) => words[j + 1 + k] === w))) return true;
    }
  }
  return false;
}

export function noteUnreadScript(text: string, facts: FileFacts): void {
  if (namesCloudRunDeploy(text)) facts.unreadDeploy = true;
}
