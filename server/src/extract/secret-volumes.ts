/**
 * The files a secret volume puts in the directory it is mounted at, shared by the manifest and
 * Terraform extractors: each item's `path` under the directory, or — a volume without items, on
 * Cloud Run — one file named after the secret. The callers read their own syntax; this knows only
 * what Cloud Run mounts.
 */
import * as path from 'node:path';
import type { SecretMount, Span } from '../core/facts';

/**
 * @param items the volume's items as read (`file` undefined where not known), or undefined when it
 * lists none
 * @param volumeSpan where the volume is written, for a volume without items
 * @returns none when an item's file is not known here: then the volume's files are not either
 */
export function secretVolumeFiles(dir: string, secret: string, items: { file?: string; span: Span }[] | undefined, volumeSpan: Span): SecretMount[] {
  const base = path.posix.normalize(dir);
  if (!items) return [{ path: path.posix.join(base, secret), dir: base, secret, namedAfterSecret: true, span: volumeSpan }];
  if (items.some((f) => !f.file || f.file.startsWith('/'))) return [];
  return items.map((f) => ({ path: path.posix.join(base, f.file!), dir: base, secret, span: f.span }));
}
