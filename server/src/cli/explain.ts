/** `--explain`: the services, environments and deploy targets inferred, each with its evidence. */
import type { WorkspaceModel } from '../model/workspace-model';

export function explain(model: WorkspaceModel): string {
  const out: string[] = [];
  out.push('Services (code roots)');
  for (const s of model.services.services) {
    const reads = model.readsByService.get(s.name) ?? [];
    out.push(`  ${s.name}  ${s.root || '.'}  — ${s.evidence.join('; ')}; reads ${new Set(reads.map((r) => r.read.name)).size} variables`);
  }
  const envs = [...new Set(model.targets.map((t) => t.environment))].sort();
  out.push('', 'Environments');
  for (const e of envs) {
    const ts = model.targets.filter((t) => t.environment === e);
    out.push(`  ${e}  — ${ts.length} target${ts.length === 1 ? '' : 's'}`);
  }
  out.push('', 'Deploy targets (service × environment)');
  for (const t of [...model.targets].sort((a, b) => a.key.localeCompare(b.key))) {
    out.push(`  ${t.serviceName} @ ${t.environment}${t.service ? '' : '  (no code root linked)'}`);
    for (const d of t.deploys) {
      out.push(`    deploy ${d.file} via ${d.deploy.via}${d.deploy.service?.text ? ` as "${d.deploy.service.text}"` : ''}`);
      for (const e of d.evidence) out.push(`      because ${e}`);
    }
    for (const f of t.envFiles) out.push(`    env file ${f.file}${f.referenced ? ' (referenced by a deploy)' : ' (in the service root, named for the environment)'}`);
    const names = [...t.writes.keys()].sort();
    out.push(`    sets ${names.length}: ${names.join(', ') || '(none)'}`);
    if (t.project) out.push(`    project ${t.project.resolved.value ?? t.project.resolved.text} (${t.project.file})`);
    for (const p of t.partial) out.push(`    partial: ${p.file}: ${p.reason}`);
  }
  if (model.unplaced.length > 0) {
    out.push('', 'Deploys with no environment (not checked against code)');
    for (const d of model.unplaced) out.push(`  ${d.file} via ${d.deploy.via}${d.deploy.service?.text ? ` "${d.deploy.service.text}"` : ''} — ${d.evidence.join('; ')}`);
  }
  return out.join('\n') + '\n';
}
