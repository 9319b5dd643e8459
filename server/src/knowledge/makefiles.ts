/** Makefiles by name, for the classifier (which must not load the shell extractor and its parser). */
const MAKEFILE_NAMES = new Set(['makefile', 'gnumakefile']);

/** `Makefile`, `GNUmakefile`, `deploy.mk`. */
export function isMakefileName(base: string): boolean {
  const lower = base.toLowerCase();
  return MAKEFILE_NAMES.has(lower) || lower.endsWith('.mk');
}
