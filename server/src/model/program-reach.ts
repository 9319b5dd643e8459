/**
 * Modules outside a service's folder that its program surely loads, where its image holds them:
 * a library copied in beside the service (`COPY shared/ /app/shared/`), or the rest of a context
 * copied whole (`COPY . /app/` then `uvicorn api.main:app`, with `api/main.py` importing
 * `utils/convex_client.py`). The import chain from the image's command reaches them, so their
 * reads are the service's as much as its own folder's are; a module no chain reaches, or any
 * module where the chain is not understood (`ProgramGraph.loadedBy` gives no answer), is not.
 *
 * Pure: reads the linked deploys and the module graphs only.
 */
import type { DeployFact } from '../core/facts';
import type { ProgramGraph } from './module-graph';
import type { Service, ServiceLink } from './services';

const under = (file: string, dir: string): boolean => dir === '' || file.startsWith(`${dir}/`);

/** Each reached file's services, by file. */
export function codeReachedOutside(
  linked: readonly { file: string; deploy: DeployFact; link: ServiceLink }[],
  runsOf: (file: string, deploy: DeployFact) => { runs?: string[] },
  graphs: readonly ProgramGraph[],
): Map<string, Service[]> {
  const out = new Map<string, Service[]>();
  for (const { file, deploy, link } of linked) {
    const service = link.service;
    if (!service || (link.holds === undefined && !link.beside?.length)) continue;
    const runs = runsOf(file, deploy).runs;
    if (!runs?.length) continue;
    const shipped = (f: string): boolean => (link.holds !== undefined && under(f, link.holds)) || !!link.beside?.some((b) => under(f, b));
    for (const graph of graphs) {
      const loaded: ReadonlySet<string> = graph.loadedBy(runs, service.root) ?? new Set();
      for (const f of loaded) {
        if (under(f, service.root) || !shipped(f)) continue;
        const list: Service[] = out.get(f) ?? [];
        if (!list.includes(service)) list.push(service);
        out.set(f, list);
      }
    }
  }
  return out;
}
