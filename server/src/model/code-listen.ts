/**
 * The fixed port a service's own code starts its server on (`await app.listen(3000)` in its
 * `main.ts`), where the image's command says nothing of a port: what Cloud Run must be told with
 * the container port. Only a service whose code reads `PORT` nowhere, and only a listener in the
 * entry module (`main`, `index`, `server`, `app`) the image's Dockerfile is shown to run.
 *
 * Pure: reads the files' facts only.
 */
import * as path from 'node:path';
import type { FileFacts, Span } from '../core/facts';
import type { Service } from './services';

/** The file names an entry module goes by (`main.ts`, `index.js`, `server.mjs`, `app.ts`). */
const ENTRY_NAME = /^(?:main|index|server|app)\.[cm]?[jt]s$/;

export interface CodeListen { file: string; port: string; span: Span }

export class CodeListens {
  private readonly byService = new Map<Service, CodeListen[] | null>();

  constructor(
    private readonly files: ReadonlyMap<string, FileFacts>,
    private readonly ownerOf: (file: string) => Service | undefined,
  ) {}

  /** `runs`: the programs the image's Dockerfile starts (`dist/src/main.js`): the listener is the
   * one of them, its build output's path mapped back (`src/main.ts`). A listener the image is not
   * shown to run says nothing of the deploy: on the corpus, every one linked by a name alone or
   * built from a folder without the code was judged false. */
  of(service: Service, runs: readonly string[]): CodeListen | undefined {
    let known = this.byService.get(service);
    if (known === undefined) this.byService.set(service, (known = this.find(service) ?? null));
    if (!known) return undefined;
    const stems = runs.map((r) => r.replace(/^\.?\/?(?:app\/)?(?:dist|build|out|lib)\//, '').replace(/\.[cm]?[jt]s$/, ''));
    const picked = known.filter((l) => ENTRY_NAME.test(path.posix.basename(l.file)) &&
      stems.some((st) => `/${l.file.replace(/\.[cm]?[jt]s$/, '')}`.endsWith(`/${st}`)));
    return picked.length === 1 ? picked[0] : undefined;
  }

  /** The service's listeners; none when its code reads `PORT` anywhere. */
  private find(service: Service): CodeListen[] | undefined {
    const under = service.root ? `${service.root}/` : '';
    const found: CodeListen[] = [];
    for (const [file, facts] of this.files) {
      if (!file.startsWith(under) || facts.isTest || facts.isScript || facts.isToolConfig) continue;
      const listens = facts.fixedListen;
      const readsPort = facts.reads.some((r) => r.name === 'PORT');
      if (!listens && !readsPort) continue;
      if (this.ownerOf(file) !== service) continue;
      if (readsPort) return undefined;
      if (listens) found.push({ file, ...listens });
    }
    return found.length ? found : undefined;
  }
}
