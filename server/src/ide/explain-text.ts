/** `--explain` as text (the CLI's output and the editor's Explain document): the services, environments and deploy targets inferred, each with its evidence. */
import type { ExplainData } from '../engine/analysis';

export function formatExplain(data: ExplainData, skippedFolders: string[] = []): string {
  const out: string[] = [];
  out.push('Services (code roots)');
  for (const s of data.services) {
    out.push(`  ${s.name}  ${s.root || '.'}  — ${s.evidence.join('; ')}; reads ${s.variablesRead} variables${s.shipsBeside ? `; its image also copies ${s.shipsBeside.join(', ')}` : ''}`);
  }
  if (data.rejected.length > 0) {
    out.push('', 'Not services (considered and refused)');
    for (const r of data.rejected) out.push(`  ${r.folder || '.'}  — ${r.reason}`);
  }
  out.push('', 'Environments');
  for (const e of data.environments) out.push(`  ${e.name}  — ${e.targets} target${e.targets === 1 ? '' : 's'}`);
  out.push('', 'Deploy targets (service × environment)');
  for (const t of data.targets) {
    out.push(`  ${t.serviceName} @ ${t.environment}${t.linked ? '' : '  (no code root linked)'}`);
    for (const d of t.deploys) {
      out.push(`    deploy ${d.file} via ${d.via}${d.deployedName ? ` as "${d.deployedName}"` : ''}`);
      for (const e of d.evidence) out.push(`      because ${e}`);
      if (d.certainty === 'inferred' && t.linked) out.push('      (the link to the service is inferred, not declared by the deploy)');
    }
    for (const f of t.envFiles) out.push(`    env file ${f.file}${f.referenced ? ' (referenced by a deploy)' : ' (in the service root, named for the environment)'}`);
    out.push(`    sets ${t.sets.length}: ${t.sets.join(', ') || '(none)'}`);
    if (t.project) out.push(`    project ${t.project.value} (${t.project.file})`);
    for (const p of t.partial) out.push(`    partial: ${p.file}: ${p.reason}`);
  }
  if (data.unplaced.length > 0) {
    out.push('', 'Deploys with no environment (not checked against code)');
    for (const d of data.unplaced) out.push(`  ${d.file} via ${d.via}${d.deployedName ? ` "${d.deployedName}"` : ''} — ${d.evidence.join('; ')}`);
  }
  if (data.notDeployed?.length) {
    out.push('', 'Not deployed environments (local stacks, templates; not checked against code)');
    for (const d of data.notDeployed) out.push(`  ${d.file} via ${d.via}${d.deployedName ? ` "${d.deployedName}"` : ''} — ${d.evidence.join('; ')}`);
  }
  if (data.unreadScripts?.length) {
    out.push('', 'Deploy scripts whose deploys are not checked (batch files; PowerShell commands not read exactly, such as an unquoted comma list or Invoke-Expression)');
    for (const f of data.unreadScripts.slice(0, 20)) out.push(`  ${f}`);
    if (data.unreadScripts.length > 20) out.push(`  … and ${data.unreadScripts.length - 20} more`);
  }
  if (skippedFolders.length > 0) {
    out.push('', 'Folders skipped by name (skipDirs; add paths back with include)');
    for (const d of skippedFolders.slice(0, 50)) out.push(`  ${d}/`);
    if (skippedFolders.length > 50) out.push(`  … and ${skippedFolders.length - 50} more`);
  }
  return out.join('\n') + '\n';
}
