/** Decides a file's kind from its path (and, for extension-less scripts, its first line). */
import type { FileKind } from '../core/facts';
import { isDockerfileName, isManifestName, isTsconfigName } from '../knowledge/code-roots';
import { CONFIG_NAMES } from '../core/config';
import { isMakefileName } from '../knowledge/makefiles';

const TS_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
/** A folder of env files (`.envs/`, `.envs.example/`, `envs/`) somewhere above a file. */
const ENV_FOLDER = /(^|\/)\.?envs(\.[\w-]+)?\//i;

export function classify(file: string, firstLine = ''): FileKind {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (CONFIG_NAMES.includes(lower)) return 'config';
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) return 'dotenv';
  // cookiecutter-django's layout: `.envs/.production/.django`, one dotfile per component.
  if (/^\.[\w-]+$/.test(lower) && ENV_FOLDER.test(file.slice(0, file.length - base.length))) return 'dotenv';
  if (/\.(sh|bash|zsh|ksh)$/.test(lower)) return 'shell';
  if (lower.endsWith('.ps1')) return 'powershell';
  if (/\.(bat|cmd)$/.test(lower)) return 'unread-script';
  // A Makefile's recipes are shell commands (extract/makefile.ts).
  if (isMakefileName(lower)) return 'shell';
  if (lower.endsWith('.py') || lower.endsWith('.pyw')) return 'python';
  if (lower.endsWith('.d.ts')) return 'other';
  // Yarn Plug'n'Play's generated loader (`.pnp.cjs`, `.pnp.loader.mjs`): the package manager's, no service's.
  if (/^\.pnp\.(c?js|loader\.mjs)$/.test(lower)) return 'other';
  if (TS_EXT.test(lower)) return 'typescript';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (isDockerfileName(lower)) return 'dockerfile';
  if (lower === '.dockerignore') return 'dockerignore';
  if (lower.endsWith('.tf') || lower.endsWith('.tfvars')) return 'terraform';
  if (lower.endsWith('.prisma')) return 'prisma';
  if (isManifestName(lower) || isTsconfigName(lower)) return 'manifest';
  // A README's `./deploy.sh`: which deploy scripts someone runs (model/variant-scripts.ts).
  if (/\.(md|markdown|mdx|rst)$/.test(lower)) return 'docs';
  if (!lower.includes('.') && /^#!.*\b(ba|z|k)?sh\b/.test(firstLine)) return 'shell';
  if (!lower.includes('.') && /^#!.*\bpython/.test(firstLine)) return 'python';
  return 'other';
}

