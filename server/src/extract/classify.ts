/** Decides a file's kind from its path (and, for extension-less scripts, its first line). */
import type { FileKind } from '../core/facts';

const TS_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;

export function classify(file: string, firstLine = ''): FileKind {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (lower === '.deploy-preflight.yaml' || lower === '.deploy-preflight.yml' || lower === '.deploy-preflight.json') return 'config';
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) return 'dotenv';
  if (/\.(sh|bash|zsh|ksh)$/.test(lower)) return 'shell';
  if (lower.endsWith('.py') || lower.endsWith('.pyw')) return 'python';
  if (lower.endsWith('.d.ts')) return 'other';
  if (TS_EXT.test(lower)) return 'typescript';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower === 'dockerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile')) return 'dockerfile';
  if (lower === 'package.json' || lower === 'pyproject.toml' || lower === 'go.mod' || lower === 'pipfile' ||
      /^requirements.*\.txt$/.test(lower) || lower === 'setup.py') {
    return lower === 'setup.py' ? 'python' : 'manifest';
  }
  if (!lower.includes('.') && /^#!.*\b(ba|z|k)?sh\b/.test(firstLine)) return 'shell';
  if (!lower.includes('.') && /^#!.*\bpython/.test(firstLine)) return 'python';
  return 'other';
}

/** Code roots are marked by these files (the model infers services from them). */
export function isCodeRootMarker(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  return base === 'package.json' || base === 'pyproject.toml' || base === 'go.mod' || base === 'pipfile' ||
    base === 'setup.py' || /^requirements.*\.txt$/.test(base) || base === 'dockerfile' || base.startsWith('dockerfile.');
}
