/**
 * A rule's doc page (docs/rules/<id>.md) as SARIF help: the Markdown with relative links made
 * absolute (it is read on GitHub, not next to the docs), a plain-text rendering, and the first
 * paragraph of "What it catches" as the full description.
 */

/** Relative links (`[x](other-rule.md)`) point at the published docs. */
export function docMarkdown(md: string, docsBase: string): string {
  return md.replace(/\]\((?![a-z][a-z0-9+.-]*:|#|\/)([^)\s]+)\)/gi, (_m, target: string) => `](${docsBase}${target.replace(/^\.\//, '')})`);
}

/** Markdown to readable plain text: no emphasis, code ticks or heading marks; links as text. */
export function plainText(md: string): string {
  return md
    .replace(/```[^\n]*\n([\s\S]*?)```/g, (_m, code: string) => code.replace(/^/gm, '    '))
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/(^|[^\w*])\*([^*\n]+)\*(?!\w)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The help text: the page as plain text and where to read it in full. */
export function docText(md: string, helpUri: string): string {
  return `${plainText(md)}\n\nDocumentation: ${helpUri}\n`;
}

/** The first paragraph under "What it catches" (else the first paragraph after the title), as plain text. */
export function docFullDescription(md: string): string | undefined {
  const lines = md.split('\n');
  let start = lines.findIndex((l) => /^##\s+What it catches/i.test(l));
  if (start < 0) start = lines.findIndex((l) => /^#\s/.test(l));
  if (start < 0) return undefined;
  const para: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.trim()) {
      if (para.length) break;
      continue;
    }
    if (/^#/.test(l) || /^\*\*Default severity/.test(l)) {
      if (para.length) break;
      continue;
    }
    para.push(l.trim());
  }
  const text = plainText(para.join(' '));
  return text || undefined;
}
