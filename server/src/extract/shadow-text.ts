/** Shadow texts: a script embedded in another file (a YAML scalar, a quoted shell argument) is
 * parsed on a copy of the whole file with everything else blanked, so every offset the script's
 * extractor records is already the file's own. */

/** A copy of `text` where everything outside [start, end) is a space (line breaks kept), so an
 * embedded script can be parsed with the file's own offsets. */
export function shadowText(text: string, start: number, end: number): string {
  const blank = (s: string) => s.replace(/[^\n\r]/g, ' ');
  return blank(text.slice(0, start)) + text.slice(start, end) + blank(text.slice(end));
}
