/**
 * The files whose changes on disk the engine reads, as glob patterns for an editor's file watcher
 * (narrower than `**\/*`: a build writing thousands of files under dist/ sends nothing). They mirror
 * what the listing reads (extract/classify.ts and the code-root markers); a test checks every kind
 * against them. Extension-less scripts cannot be told apart by name: an edit in the editor is seen
 * from its buffer, an edit elsewhere on the next re-index.
 */
export const WATCH_GLOBS: readonly string[] = [
  '**/*.{py,pyw,sh,bash,zsh,ksh,ts,tsx,mts,cts,js,jsx,mjs,cjs,yaml,yml,tf,tfvars,prisma,mk}',
  '**/{Makefile,makefile,GNUmakefile}',
  '**/{.env,.env.*,*.env}',
  '**/{Dockerfile,Dockerfile.*,dockerfile,dockerfile.*,*.Dockerfile,*.dockerfile}',
  '**/{package.json,pyproject.toml,go.mod,Pipfile,pipfile,setup.py,requirements*.txt}',
  '**/{tsconfig,jsconfig}*.json',
  '**/{.deploy-preflight.yaml,.deploy-preflight.yml,.deploy-preflight.json,.gitignore}',
  '**/*.{md,markdown,mdx,rst}',
];
