/** The deploy matrix request (MatrixRequest): the engine's deploy matrix of each folder, with files turned into URIs. */
import type { MatrixData, MatrixLocation as EngineLocation } from '../../engine/analysis';
import type { MatrixFolderInfo, MatrixLocation, MatrixParams, MatrixResult } from '../../../../protocol';
import type { Folder } from '../session';

function convert(folder: Folder, name: string, data: MatrixData): MatrixFolderInfo {
  const loc = (l: EngineLocation): MatrixLocation => ({ uri: folder.uriOf(l.file), range: { start: l.start, end: l.end } });
  const finding = <F extends { location: EngineLocation }>(f: F) => ({ ...f, location: loc(f.location) });
  return {
    uri: folder.uri,
    name,
    indexing: !folder.ready,
    columns: data.columns.map((c) => ({ ...c, deploys: c.deploys.map((d) => ({ via: d.via, location: loc(d.location) })) })),
    rows: data.rows.map((r) => ({
      ...r,
      readers: r.readers.map((x) => ({ ...x, location: loc(x.location) })),
      findings: r.findings.map(({ fingerprint: _, ...f }) => finding(f)),
      cells: Object.fromEntries(Object.entries(r.cells).map(([k, c]) => [k, {
        ...c,
        location: c.location && loc(c.location),
        findings: c.findings.map(({ fingerprint: _, ...f }) => finding(f)),
      }])),
    })),
  };
}

export function matrix(folders: Iterable<Folder>, params: MatrixParams | undefined, enabled: boolean): MatrixResult {
  if (!enabled) return { folders: [] };
  const out: MatrixFolderInfo[] = [];
  for (const f of folders) {
    if (params?.folder && params.folder !== f.uri) continue;
    out.push(convert(f, f.root.split(/[\\/]/).pop() ?? f.root, f.analysis.matrix()));
  }
  return { folders: out };
}
