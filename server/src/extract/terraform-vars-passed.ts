/**
 * Terraform variables a script, workflow or build passes to `terraform` itself: `-var enabled=true`,
 * `-var=image=…`, or the environment's `TF_VAR_enabled`. A resource switched by such a variable
 * (`count = var.enabled ? 1 : 0`) is then not decided by the variable's default (model/terraform.ts).
 */
import type { FileFacts } from '../core/facts';

const TF_VAR = /^TF_VAR_([A-Za-z_][\w-]*)$/;
const NAME = /^([A-Za-z_][\w-]*)=/;

/** `TF_VAR_enabled` → `enabled`. */
export function terraformVarOfEnvName(name: string): string | undefined {
  return TF_VAR.exec(name)?.[1];
}

/** The variables a `terraform …` command's words pass with `-var` (`-var x=1`, `-var=x=1`, `--var`). */
export function terraformVarsInWords(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.replace(/^(['"])(.*)\1$/s, '$2');
    const flag = /^--?var(?:=(.*))?$/s.exec(w);
    if (!flag) continue;
    const value = (flag[1] ?? words[++i] ?? '').replace(/^(['"])(.*)\1$/s, '$2');
    const name = NAME.exec(value)?.[1];
    if (name) out.push(name);
  }
  return out;
}

export function addTerraformVarsPassed(facts: FileFacts, names: Iterable<string>): void {
  for (const n of names) {
    const into = (facts.terraformVarsPassed ??= []);
    if (!into.includes(n)) into.push(n);
  }
}

/** Whether a text may pass Terraform variables (the shell extractor's prefilter). */
export function mayPassTerraformVars(text: string): boolean {
  return text.includes('TF_VAR_') || (text.includes('-var') && /terraform|terragrunt|tofu/.test(text));
}
