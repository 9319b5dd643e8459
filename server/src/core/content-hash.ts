import { createHash } from 'node:crypto';

/** The content hash facts, the fact cache and fixes' conflict checks key on. */
export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
