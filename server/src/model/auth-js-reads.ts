/**
 * Reads a library makes by itself (`EnvRead.impliedBy`): Auth.js's `AUTH_TRUST_HOST`, recorded at
 * each `NextAuth({...})` call (extract/typescript/auth-js.ts). Kept only where the service's
 * nearest package.json depends on `next-auth` v5, whose core refuses an untrusted host in
 * production (knowledge/auth-js.ts), and where no module of the service names `trustHost` (a
 * config object spread in from another file may set it: `NextAuth({ ...authConfig })`).
 */
import * as path from 'node:path';
import type { EnvRead, FileFacts } from '../core/facts';
import type { Service } from './services';

export class AuthJsReads {
  /** Services whose code names `trustHost`; `*` when code of no service does (a shared module). */
  private readonly settled = new Set<string>();

  constructor(private readonly files: ReadonlyMap<string, FileFacts>, ownerOf: (file: string) => Service | undefined) {
    for (const [file, f] of files) if (f.mentionsTrustHost) this.settled.add(ownerOf(file)?.name ?? '*');
  }

  /** Whether the model keeps `read` of `file` (every read a library does not imply). */
  keeps(file: string, read: EnvRead, service: Service | undefined): boolean {
    if (read.impliedBy !== 'next-auth') return true;
    if (!service || this.settled.has('*') || this.settled.has(service.name)) return false;
    return this.nearestPackage(file, service.root)?.nextAuthMajor === 5;
  }

  /** The package.json nearest above `file`, no higher than the service's root. */
  private nearestPackage(file: string, root: string): FileFacts | undefined {
    for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
      const d = dir === '.' ? '' : dir;
      const pkg = this.files.get(d ? `${d}/package.json` : 'package.json');
      if (pkg) return pkg;
      if (d === root || d === '') return undefined;
    }
  }
}
