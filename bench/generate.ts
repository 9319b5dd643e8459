/**
 * Deterministic generator of large, real-shaped workspaces for the benchmark and its smoke test.
 *
 * A workspace holds N services (TypeScript and Python) under `services/`, each with a manifest, a
 * Dockerfile, `.env.*` files, one config module that reads the environment and a body of ordinary
 * code (models, utils, handlers, tests; 50–400 lines each) that mostly never touches it. Deploys:
 * shell scripts running `gcloud run deploy` (TS staging), one Python deploy script with
 * per-service env dicts (Python staging), Cloud Run YAML (Python production), Cloud Build (TS
 * production) and GitHub workflows (every third TS service's production). A sprinkling of the
 * audit's bug classes is planted, and `expected` says how many findings of each rule result.
 *
 * Same seed and size → byte-identical tree.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface GenerateOptions {
  /** Total number of files to write (approximately: ±1%). */
  files: number;
  seed?: number;
  /** Target directory (created; must be empty or absent). Default: a new temp dir. */
  dir?: string;
}

export interface ServiceInfo {
  name: string;
  lang: 'python' | 'typescript';
  root: string;
  /** The module that reads the environment. */
  config: string;
  staging: string;
  production: string;
}

export interface GenerateResult {
  root: string;
  files: number;
  bytes: number;
  services: ServiceInfo[];
  /** Findings per rule id the CLI should report on this tree. */
  expected: Record<string, number>;
  /** Each planted finding: its rule and the file it is reported in. */
  planted: { rule: string; file: string }[];
  /** Files the server benchmark edits. */
  probes: {
    /** A code file holding a finding (an unset variable), and a line before which edits insert text. */
    code: { file: string; insertBefore: string };
    /** A deploy script and a toggle: applying `from → to` makes a finding appear in `affects`. */
    deploy: { file: string; from: string; to: string; affects: string };
  };
}

// ---------------------------------------------------------------------------------------------
// PRNG

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary (chosen so that ordinary code does not contain env-ish tokens by accident)

const SERVICE_NAMES = [
  'billing', 'catalog', 'checkout', 'gateway', 'ledger', 'notifier', 'orders', 'payments', 'pricing', 'profiles',
  'ratings', 'search', 'shipping', 'tracking', 'uploads', 'webhooks', 'accounts', 'analytics', 'audit', 'scheduler',
];
const ENTITIES = [
  'order', 'invoice', 'customer', 'account', 'payment', 'shipment', 'product', 'cart', 'report', 'ticket',
  'message', 'profile', 'subscription', 'coupon', 'review', 'stock', 'warehouse', 'supplier', 'refund', 'receipt',
  'address', 'carrier', 'discount', 'bundle', 'voucher', 'batch', 'quote', 'contract', 'lead', 'task',
];
const FIELDS = ['name', 'email', 'amount', 'quantity', 'price', 'currency', 'created_at', 'updated_at', 'owner_id', 'reference', 'notes', 'priority', 'score', 'weight', 'code', 'label'];
const VERBS = ['load', 'save', 'update', 'compute', 'validate', 'merge', 'normalize', 'serialize', 'parse', 'summarize', 'reconcile', 'archive', 'expire', 'refresh', 'split'];

const ENUM_MEMBERS = ['PENDING', 'ACTIVE', 'SUSPENDED', 'CLOSED', 'ARCHIVED', 'DRAFT', 'PUBLISHED', 'FAILED', 'STANDARD', 'PRIORITY', 'EXPIRED', 'REFUNDED'];

function enumMembers(r: Rng): string[] {
  const out: string[] = [];
  const n = r.int(3, 5);
  while (out.length < n) {
    const m = r.pick(ENUM_MEMBERS);
    if (!out.includes(m)) out.push(m);
  }
  return out;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const pascal = (s: string) => camel(s).replace(/^[a-z]/, (c) => c.toUpperCase());

// ---------------------------------------------------------------------------------------------
// Python code

function pyFunction(r: Rng, entity: string, i: number): string[] {
  const verb = r.pick(VERBS);
  const f1 = r.pick(FIELDS);
  const f2 = r.pick(FIELDS);
  const kind = r.int(0, 5);
  const name = `${verb}_${entity}_${f1}${i}`;
  switch (kind) {
    case 0: return [
      `def ${name}(items: List[Dict[str, Any]], threshold: int = ${r.int(1, 500)}) -> List[Dict[str, Any]]:`,
      `    """${pascal(verb)} the ${entity} ${f1} values above a threshold."""`,
      '    result: List[Dict[str, Any]] = []',
      '    for item in items:',
      `        value = item.get("${f1}")`,
      '        if value is None:',
      '            continue',
      '        if isinstance(value, (int, float)) and value > threshold:',
      `            result.append({**item, "${f2}": value - threshold})`,
      '    return sorted(result, key=lambda x: x.get("' + f2 + '", 0))',
      '', '',
    ];
    case 1: return [
      `def ${name}(payload: Mapping[str, Any]) -> Tuple[bool, List[str]]:`,
      `    errors: List[str] = []`,
      `    if not payload.get("${f1}"):`,
      `        errors.append("${f1} is required")`,
      `    if "${f2}" in payload and len(str(payload["${f2}"])) > ${r.int(16, 255)}:`,
      `        errors.append("${f2} is too long")`,
      '    for key in payload:',
      '        if key.startswith("_"):',
      '            errors.append(f"unexpected private key {key!r}")',
      '    return (not errors, errors)',
      '', '',
    ];
    case 2: return [
      `class ${pascal(entity)}${pascal(verb)}er${i}:`,
      `    """Keeps a small cache of ${entity} records keyed by id."""`,
      '',
      '    def __init__(self, capacity: int = ' + r.int(32, 4096) + ') -> None:',
      '        self._capacity = capacity',
      '        self._items: "OrderedDict[str, Dict[str, Any]]" = OrderedDict()',
      '',
      '    def get(self, key: str) -> Optional[Dict[str, Any]]:',
      '        item = self._items.get(key)',
      '        if item is not None:',
      '            self._items.move_to_end(key)',
      '        return item',
      '',
      '    def put(self, key: str, value: Dict[str, Any]) -> None:',
      '        self._items[key] = value',
      '        self._items.move_to_end(key)',
      '        while len(self._items) > self._capacity:',
      '            self._items.popitem(last=False)',
      '',
      '    def __len__(self) -> int:',
      '        return len(self._items)',
      '', '',
    ];
    case 3: return [
      `async def ${name}(session: Any, ${entity}_id: str, retries: int = ${r.int(1, 5)}) -> Optional[Dict[str, Any]]:`,
      '    delay = 0.1',
      '    for attempt in range(retries):',
      '        try:',
      `            row = await session.fetch_one("SELECT * FROM ${entity}s WHERE id = :id", {"id": ${entity}_id})`,
      '            return dict(row) if row else None',
      '        except TimeoutError:',
      `            logger.warning("timeout loading ${entity} %s (attempt %d)", ${entity}_id, attempt + 1)`,
      '            await asyncio.sleep(delay)',
      '            delay *= 2',
      '    return None',
      '', '',
    ];
    case 4: return [
      `def ${name}(records: Iterable[Dict[str, Any]]) -> Dict[str, float]:`,
      '    totals: Dict[str, float] = defaultdict(float)',
      '    counts: Dict[str, int] = defaultdict(int)',
      '    for rec in records:',
      `        key = str(rec.get("${f1}", "unknown"))`,
      `        totals[key] += float(rec.get("${f2}", 0) or 0)`,
      '        counts[key] += 1',
      '    return {k: round(totals[k] / counts[k], 2) for k in totals if counts[k]}',
      '', '',
    ];
    default: return [
      `def ${name}(value: str) -> str:`,
      `    """Canonical form of a ${entity} ${f1}: trimmed, lower case, single spaces."""`,
      '    cleaned = " ".join(value.strip().split())',
      '    if len(cleaned) > ' + r.int(20, 120) + ':',
      '        cleaned = cleaned[: ' + r.int(20, 120) + '].rstrip()',
      '    return cleaned.lower()',
      '', '',
    ];
  }
}

const PY_HEADER = [
  'from __future__ import annotations', '',
  'import asyncio', 'import logging', 'from collections import OrderedDict, defaultdict',
  'from dataclasses import dataclass, field', 'from datetime import datetime, timedelta',
  'from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple', '',
  'logger = logging.getLogger(__name__)', '', '',
];

function pyModule(r: Rng, kind: 'model' | 'util' | 'handler' | 'test', entity: string, lines: number): string {
  const out = [`"""${pascal(entity)} ${kind === 'model' ? 'domain model' : kind === 'util' ? 'helpers' : kind === 'handler' ? 'request handlers' : 'tests'}."""`, ...PY_HEADER];
  if (kind === 'model') {
    // Real model modules often hold a status enum (these files do reach the parser).
    if (r.chance(0.15)) {
      out.splice(3, 0, 'from enum import Enum');
      out.push(`class ${pascal(entity)}Kind(str, Enum):`, ...enumMembers(r).map((m) => `    ${m} = "${m.toLowerCase()}"`), '', '');
    }
    out.push('@dataclass', `class ${pascal(entity)}:`, '    id: str');
    for (const f of FIELDS.slice(0, r.int(3, 8))) out.push(`    ${f}: Optional[str] = None`);
    out.push('    tags: List[str] = field(default_factory=list)', '', '    def touch(self) -> None:', '        self.updated_at = datetime.utcnow().isoformat()', '', '');
  }
  if (kind === 'handler' && r.chance(0.25)) {
    out.push('def _ok(response: Any) -> bool:', '    return 200 <= response.status_code < 300', '', '');
  }
  let i = 0;
  while (out.length < lines) out.push(...pyFunction(r, entity, i++));
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// TypeScript code

function tsFunction(r: Rng, entity: string, i: number): string[] {
  const E = pascal(entity);
  const verb = r.pick(VERBS);
  const f1 = camel(r.pick(FIELDS));
  const f2 = camel(r.pick(FIELDS));
  const name = `${verb}${E}${pascal(f1)}${i}`;
  switch (r.int(0, 5)) {
    case 0: return [
      `export function ${name}(items: readonly ${E}Record[], threshold = ${r.int(1, 500)}): ${E}Record[] {`,
      `  return items`,
      `    .filter((item) => typeof item.${f1} === "number" && item.${f1} > threshold)`,
      `    .map((item) => ({ ...item, ${f2}: String(item.${f1}) }))`,
      `    .sort((a, b) => String(a.${f2}).localeCompare(String(b.${f2})));`,
      '}', '',
    ];
    case 1: return [
      `export function ${name}(input: Partial<${E}Record>): string[] {`,
      '  const errors: string[] = [];',
      `  if (!input.${f1}) errors.push("${f1} is required");`,
      `  if (input.${f2} !== undefined && String(input.${f2}).length > ${r.int(16, 255)}) {`,
      `    errors.push("${f2} is too long");`,
      '  }',
      '  for (const key of Object.keys(input)) {',
      '    if (key.startsWith("_")) errors.push(`unexpected private key ${key}`);',
      '  }',
      '  return errors;',
      '}', '',
    ];
    case 2: return [
      `export class ${E}${pascal(verb)}Cache${i}<V> {`,
      '  private readonly items = new Map<string, V>();',
      `  constructor(private readonly capacity = ${r.int(32, 4096)}) {}`,
      '',
      '  get(key: string): V | undefined {',
      '    const v = this.items.get(key);',
      '    if (v !== undefined) {',
      '      this.items.delete(key);',
      '      this.items.set(key, v);',
      '    }',
      '    return v;',
      '  }',
      '',
      '  put(key: string, value: V): void {',
      '    this.items.delete(key);',
      '    this.items.set(key, value);',
      '    while (this.items.size > this.capacity) {',
      '      const oldest = this.items.keys().next().value as string;',
      '      this.items.delete(oldest);',
      '    }',
      '  }',
      '}', '',
    ];
    case 3: return [
      `export async function ${name}(db: Queryable, id: string, retries = ${r.int(1, 5)}): Promise<${E}Record | null> {`,
      '  let delay = 100;',
      '  for (let attempt = 0; attempt < retries; attempt++) {',
      '    try {',
      `      const rows = await db.query<${E}Record>("SELECT * FROM ${entity}s WHERE id = $1", [id]);`,
      '      return rows[0] ?? null;',
      '    } catch (err) {',
      `      log.warn({ err, id, attempt }, "loading ${entity} failed");`,
      '      await new Promise((resolve) => setTimeout(resolve, delay));',
      '      delay *= 2;',
      '    }',
      '  }',
      '  return null;',
      '}', '',
    ];
    case 4: return [
      `export function ${name}(records: Iterable<${E}Record>): Record<string, number> {`,
      '  const totals = new Map<string, { sum: number; count: number }>();',
      '  for (const rec of records) {',
      `    const key = String(rec.${f1} ?? "unknown");`,
      '    const t = totals.get(key) ?? { sum: 0, count: 0 };',
      `    t.sum += Number(rec.${f2} ?? 0);`,
      '    t.count += 1;',
      '    totals.set(key, t);',
      '  }',
      '  return Object.fromEntries([...totals].map(([k, t]) => [k, Math.round((t.sum / t.count) * 100) / 100]));',
      '}', '',
    ];
    default: return [
      `/** Canonical form of a ${entity} ${f1}: trimmed, lower case, single spaces. */`,
      `export const ${name} = (value: string): string =>`,
      `  value.trim().split(/\\s+/).join(" ").slice(0, ${r.int(20, 120)}).toLowerCase();`,
      '',
    ];
  }
}

function tsModule(r: Rng, kind: 'model' | 'util' | 'handler' | 'test', entity: string, lines: number): string {
  const E = pascal(entity);
  const out = [
    `import { log } from "../log";`,
    `import type { Queryable } from "../db";`,
    '',
    `export interface ${E}Record {`,
    '  id: string;',
  ];
  for (const f of FIELDS.slice(0, r.int(3, 8))) out.push(`  ${camel(f)}?: string | number;`);
  out.push('}', '');
  if (kind === 'model' && r.chance(0.15)) {
    out.push(`export enum ${E}Kind {`, ...enumMembers(r).map((m) => `  ${pascal(m.toLowerCase())} = "${m.toLowerCase()}",`), '}', '');
  }
  if (kind === 'handler' && r.chance(0.4)) {
    // Express-style handlers answer with res.status(...): these files reach the parser.
    out.unshift(`import type { Request, Response } from "express";`);
    out.push(
      `export async function get${E}(req: Request, res: Response): Promise<void> {`,
      `  const id = String(req.params.id ?? "");`,
      '  if (!id) {',
      '    res.status(400).json({ error: "missing id" });',
      '    return;',
      '  }',
      `  res.status(200).json({ id, kind: "${entity}" });`,
      '}',
      '',
    );
  }
  let i = 0;
  while (out.length < lines) out.push(...tsFunction(r, entity, i++));
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Services, deploys, planted bugs

interface Plan {
  svc: ServiceInfo;
  index: number;
  /** Reads FEATURE_FLAGS_URL (no default), set by no deploy: env-unset-for-deploy in staging and production. */
  unsetFlag: boolean;
  /** Reads SERVICE_SECRET; the staging deploy omits it: env-unset-for-deploy (staging). */
  missingServiceSecret: boolean;
  /** `.env.staging` holds a placeholder JWT secret. */
  placeholder: boolean;
  /** The staging deploy takes JWT_SECRET_KEY from a differently named secret (TS only). */
  jwtDiverges: boolean;
  /** Secret Manager gated on GCP_PROJECT_ID alone, and the staging deploy does not set it. */
  gate: boolean;
  /** Production Cloud Run YAML: Cloud SQL socket URL with sslmode (Python only). */
  socketSsl: boolean;
  /** Staging env dict: asyncpg URL with sslmode (Python only). */
  asyncpgSsl: boolean;
}

function pythonConfig(p: Plan): string {
  const lines = [
    '"""Service settings, read once from the process environment at import time."""',
    'from __future__ import annotations',
    '',
    'import os',
    '',
    `SERVICE_NAME = os.environ.get("SERVICE_NAME", "${p.svc.name}")`,
    'LOG_LEVEL = os.getenv("LOG_LEVEL", "info")',
    'DATABASE_URL = os.environ["DATABASE_URL"]',
    'REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")',
    'JWT_SECRET_KEY = os.environ["JWT_SECRET_KEY"]',
    'REQUEST_TIMEOUT = float(os.getenv("REQUEST_TIMEOUT", "10"))',
  ];
  lines.push('SERVICE_SECRET = os.environ["SERVICE_SECRET"]');
  if (p.unsetFlag) lines.push('FEATURE_FLAGS_URL = os.environ["FEATURE_FLAGS_URL"]');
  if (p.gate) {
    lines.push(
      '', '',
      'def _is_gcp_available() -> bool:',
      '    """Secret Manager is used only on GCP."""',
      '    return os.environ.get("GCP_PROJECT_ID") is not None',
      '', '',
      'def load_secrets() -> dict:',
      '    if not _is_gcp_available():',
      '        return {}',
      '    from google.cloud import secretmanager',
      '    client = secretmanager.SecretManagerServiceClient()',
      '    project = os.environ["GCP_PROJECT_ID"]',
      '    name = f"projects/{project}/secrets/app-settings/versions/latest"',
      '    return {"settings": client.access_secret_version(name=name).payload.data.decode()}',
    );
  }
  return lines.join('\n') + '\n';
}

/** The program the image starts (`python -m app.main`): it loads the settings, as a real entry does. */
function pythonMain(p: Plan): string {
  return [
    '"""Entry point: loads the settings and starts the server."""',
    'from app import config',
    '',
    '',
    'def main() -> None:',
    ...(p.gate ? ['    config.load_secrets()'] : []),
    '    print(f"{config.SERVICE_NAME} starting")',
    '',
    '',
    'if __name__ == "__main__":',
    '    main()',
    '',
  ].join('\n');
}

/** The program the image starts (`node dist/index.js`): it asks the settings it needs, as a real entry does. */
function tsMain(p: Plan): string {
  const getters = ['databaseUrl', 'jwtSecretKey', 'serviceSecret', ...(p.unsetFlag ? ['featureFlagsUrl'] : [])];
  return [
    `import { ${[...getters, ...(p.gate ? ['loadSecrets'] : []), 'serviceName'].join(', ')} } from './config';`,
    '',
    'async function start(): Promise<void> {',
    ...(p.gate ? ['  await loadSecrets();'] : []),
    `  const settings = [${getters.map((g) => `${g}()`).join(', ')}];`,
    '  console.log(`${serviceName} starting with ${settings.length} settings`);',
    '}',
    '',
    'void start();',
    '',
  ].join('\n');
}

function tsConfig(p: Plan): string {
  const lines = [
    '/** Service settings from the process environment. */',
    'function must(value: string | undefined, name: string): string {',
    '  if (!value) throw new Error(`${name} is not set`);',
    '  return value;',
    '}',
    '',
    `export const serviceName = process.env.SERVICE_NAME ?? "${p.svc.name}";`,
    'export const logLevel = process.env.LOG_LEVEL ?? "info";',
    'export const port = Number(process.env.PORT ?? "8080");',
    'export const databaseUrl = (): string => must(process.env.DATABASE_URL, "DATABASE_URL");',
    'export const jwtSecretKey = (): string => must(process.env.JWT_SECRET_KEY, "JWT_SECRET_KEY");',
    'export const redisUrl = process.env.REDIS_URL ?? "redis://localhost:6379/0";',
  ];
  lines.push('export const serviceSecret = (): string => must(process.env.SERVICE_SECRET, "SERVICE_SECRET");');
  if (p.unsetFlag) lines.push('export const featureFlagsUrl = (): string => must(process.env.FEATURE_FLAGS_URL, "FEATURE_FLAGS_URL");');
  if (p.gate) {
    lines.push(
      '',
      'let settings: string | undefined;',
      '',
      'export async function loadSecrets(): Promise<void> {',
      '  if (process.env.GCP_PROJECT_ID) {',
      '    const { SecretManagerServiceClient } = await import("@google-cloud/secret-manager");',
      '    const client = new SecretManagerServiceClient();',
      '    const name = `projects/${process.env.GCP_PROJECT_ID}/secrets/app-settings/versions/latest`;',
      '    const [version] = await client.accessSecretVersion({ name });',
      '    settings = version.payload?.data?.toString();',
      '  }',
      '}',
      'export const loadedSettings = (): string | undefined => settings;',
    );
  }
  return lines.join('\n') + '\n';
}

function dotenv(p: Plan, env: 'staging' | 'development'): string {
  if (env === 'development') {
    return [
      `# Local development settings for ${p.svc.name} (docker compose / direct runs).`,
      'DATABASE_URL=postgresql://app:app@localhost:5432/app',
      'JWT_SECRET_KEY=changeme',
      'LOG_LEVEL=debug',
      '',
    ].join('\n');
  }
  return [
    `# Non-secret staging settings for ${p.svc.name}; secrets come from Secret Manager.`,
    'LOG_LEVEL=info',
    `REQUEST_TIMEOUT=15`,
    ...(p.placeholder ? ['JWT_SECRET_KEY=REPLACE_WITH_STAGING_JWT_SECRET'] : []),
    '',
  ].join('\n');
}

function shellDeploy(p: Plan): string {
  const secrets = [`JWT_SECRET_KEY=${p.jwtDiverges ? 'jwt-secret-staging' : 'jwt-secret-key-staging'}:latest`, `DATABASE_URL=${p.svc.name}-database-url-staging:latest`];
  if (!p.missingServiceSecret) secrets.push('SERVICE_SECRET=service-secret-staging:latest');
  const env = ['ENVIRONMENT=staging', 'LOG_LEVEL=info'];
  if (!p.gate) env.push('GCP_PROJECT_ID=${PROJECT_ID}');
  return [
    '#!/usr/bin/env bash',
    `# Deploy ${p.svc.name} to Cloud Run (staging), built from source by Cloud Build.`,
    'set -euo pipefail',
    '',
    'PROJECT_ID="acme-staging"',
    'REGION="us-central1"',
    '',
    'cd "$(dirname "$0")/.."',
    '',
    `echo "==> deploying ${p.svc.name}-staging to \${PROJECT_ID}"`,
    '',
    `gcloud run deploy ${p.svc.name}-staging \\`,
    `  --source ${p.svc.root} \\`,
    '  --project "$PROJECT_ID" \\',
    '  --region "$REGION" \\',
    '  --allow-unauthenticated \\',
    `  --set-env-vars "${env.join(',')}" \\`,
    `  --set-secrets "${secrets.join(',')}" \\`,
    '  --quiet',
    '',
  ].join('\n');
}

function cloudbuild(p: Plan): string {
  const svc = p.svc.name;
  return [
    `# Production release of ${svc}.`,
    'steps:',
    '  - id: build',
    '    name: gcr.io/cloud-builders/docker',
    `    args: ['build', '-t', 'us-central1-docker.pkg.dev/$PROJECT_ID/services/${svc}:$SHORT_SHA', '${p.svc.root}']`,
    '  - id: push',
    '    name: gcr.io/cloud-builders/docker',
    `    args: ['push', 'us-central1-docker.pkg.dev/$PROJECT_ID/services/${svc}:$SHORT_SHA']`,
    '  - id: deploy',
    '    name: gcr.io/google.com/cloudsdktool/cloud-sdk',
    '    entrypoint: gcloud',
    '    args:',
    '      - run',
    '      - deploy',
    `      - ${svc}-production`,
    '      - --image',
    `      - us-central1-docker.pkg.dev/$PROJECT_ID/services/${svc}:$SHORT_SHA`,
    '      - --region',
    '      - us-central1',
    '      - --set-env-vars',
    '      - ENVIRONMENT=production,LOG_LEVEL=warning,GCP_PROJECT_ID=$PROJECT_ID',
    '      - --set-secrets',
    `      - JWT_SECRET_KEY=jwt-secret-key-production:latest,SERVICE_SECRET=service-secret-production:latest,DATABASE_URL=${svc}-database-url-production:latest`,
    'images:',
    `  - us-central1-docker.pkg.dev/$PROJECT_ID/services/${svc}:$SHORT_SHA`,
    '',
  ].join('\n');
}

function workflow(p: Plan): string {
  const svc = p.svc.name;
  return [
    `name: Deploy ${svc}`,
    '',
    'on:',
    '  push:',
    '    branches: [main]',
    '    paths:',
    `      - ${p.svc.root}/**`,
    '',
    'permissions:',
    '  contents: read',
    '  id-token: write',
    '',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-node@v4',
    '        with:',
    '          node-version: 20',
    `      - run: npm ci && npm test --prefix ${p.svc.root}`,
    '',
    '  deploy-production:',
    '    needs: test',
    '    runs-on: ubuntu-latest',
    '    environment: production',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: google-github-actions/auth@v2',
    '        with:',
    '          service_account: deployer@acme-prod.iam.gserviceaccount.com',
    `      - name: Deploy ${svc}-production`,
    '        uses: google-github-actions/deploy-cloudrun@v2',
    '        with:',
    `          service: ${svc}-production`,
    `          source: ${p.svc.root}`,
    '          project_id: acme-prod',
    '          region: us-central1',
    '          env_vars: |',
    '            ENVIRONMENT=production',
    '            LOG_LEVEL=warning',
    '            GCP_PROJECT_ID=acme-prod',
    '          secrets: |',
    '            JWT_SECRET_KEY=jwt-secret-key-production:latest',
    '            SERVICE_SECRET=service-secret-production:latest',
    `            DATABASE_URL=${svc}-database-url-production:latest`,
    '',
  ].join('\n');
}

function cloudRunYaml(p: Plan): string {
  const svc = p.svc.name;
  const db = p.socketSsl
    ? ['            - name: DATABASE_URL', `              value: postgresql://${svc}@/${svc}?host=/cloudsql/acme-prod:us-central1:main&sslmode=require`]
    : ['            - name: DATABASE_URL', '              valueFrom:', '                secretKeyRef:', `                  name: ${svc}-database-url-production`, '                  key: latest'];
  return [
    `# Cloud Run service definition for ${svc} in production.`,
    'apiVersion: serving.knative.dev/v1',
    'kind: Service',
    'metadata:',
    `  name: ${svc}-production`,
    '  labels:',
    `    app: ${svc}`,
    'spec:',
    '  template:',
    '    metadata:',
    '      annotations:',
    '        autoscaling.knative.dev/maxScale: "10"',
    '    spec:',
    '      containers:',
    `        - image: us-central1-docker.pkg.dev/acme-prod/services/${svc}:latest`,
    '          ports:',
    '            - containerPort: 8080',
    '          env:',
    '            - name: ENVIRONMENT',
    '              value: production',
    '            - name: GCP_PROJECT_ID',
    '              value: acme-prod',
    ...db,
    '            - name: JWT_SECRET_KEY',
    '              valueFrom:',
    '                secretKeyRef:',
    '                  name: jwt-secret-key-production',
    '                  key: latest',
    '            - name: SERVICE_SECRET',
    '              valueFrom:',
    '                secretKeyRef:',
    '                  name: service-secret-production',
    '                  key: latest',
    '',
  ].join('\n');
}

function pythonDeployScript(plans: Plan[]): string {
  const out = [
    '#!/usr/bin/env python3',
    '"""Deploy the Python services to Cloud Run (staging).',
    '',
    '    python scripts/deploy_to_gcp.py --project acme-staging',
    '"""',
    'from __future__ import annotations',
    '',
    'import argparse',
    'import os',
    'import subprocess',
    'from dataclasses import dataclass, field',
    'from typing import Dict, List',
    '',
    '',
    '@dataclass',
    'class ServiceConfig:',
    '    name: str',
    '    directory: str',
    '    port: int',
    '    environment_vars: Dict[str, str] = field(default_factory=dict)',
    '    secrets: Dict[str, str] = field(default_factory=dict)',
    '',
    '',
    'class GCPDeployer:',
    '    def __init__(self, project_id: str = "acme-staging", region: str = "us-central1") -> None:',
    '        self.project_id = project_id',
    '        self.region = region',
    '        self.services: List[ServiceConfig] = [',
  ];
  for (const p of plans) {
    const svc = p.svc.name;
    const url = p.asyncpgSsl
      ? `postgresql+asyncpg://${svc}:\${DB_PASSWORD}@10.20.0.3:5432/${svc}?sslmode=require`
      : `postgresql+asyncpg://${svc}:\${DB_PASSWORD}@10.20.0.3:5432/${svc}`;
    out.push(
      '            ServiceConfig(',
      `                name="${svc}",`,
      `                directory="${p.svc.root}",`,
      '                port=8080,',
      '                environment_vars={',
      '                    "ENVIRONMENT": "staging",',
      '                    "LOG_LEVEL": "info",',
      ...(p.gate ? [] : ['                    "GCP_PROJECT_ID": "acme-staging",']),
      `                    "DATABASE_URL": "${url}",`,
      '                },',
      '                secrets={',
      '                    "JWT_SECRET_KEY": "jwt-secret-key-staging:latest",',
      ...(p.missingServiceSecret ? [] : ['                    "SERVICE_SECRET": "service-secret-staging:latest",']),
      '                },',
      '            ),',
    );
  }
  out.push(
    '        ]',
    '',
    '    def deploy_service(self, service: ServiceConfig) -> None:',
    '        cmd = [',
    '            "gcloud", "run", "deploy", f"{service.name}-staging",',
    '            "--source", service.directory,',
    '            "--project", self.project_id,',
    '            "--region", self.region,',
    '            "--port", str(service.port),',
    '            "--set-env-vars", ",".join(f"{k}={os.path.expandvars(v)}" for k, v in service.environment_vars.items()),',
    '            "--set-secrets", ",".join(f"{k}={v}" for k, v in service.secrets.items()),',
    '            "--quiet",',
    '        ]',
    '        subprocess.run(cmd, check=True)',
    '',
    '',
    'def main() -> int:',
    '    parser = argparse.ArgumentParser(description=__doc__)',
    '    parser.add_argument("--project", default="acme-staging")',
    '    parser.add_argument("--service")',
    '    args = parser.parse_args()',
    '    deployer = GCPDeployer(project_id=args.project)',
    '    for service in deployer.services:',
    '        if args.service in (None, service.name):',
    '            deployer.deploy_service(service)',
    '    return 0',
    '',
    '',
    'if __name__ == "__main__":',
    '    raise SystemExit(main())',
    '',
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

const README = (name: string) => `# ${name}\n\nSee the service folders under \`services/\`. Deploys live in \`deploy/\`, \`scripts/\` and \`.github/workflows/\`.\n`;

export function generate(opts: GenerateOptions): GenerateResult {
  const seed = opts.seed ?? 1;
  const r = new Rng(seed);
  const root = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `dp-bench-${opts.files}-`));
  fs.mkdirSync(root, { recursive: true });
  let files = 0;
  let bytes = 0;
  const write = (rel: string, text: string): void => {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    files++;
    bytes += Buffer.byteLength(text);
  };

  const nServices = Math.max(6, Math.round(opts.files / 250));
  const plans: Plan[] = [];
  for (let i = 0; i < nServices; i++) {
    const base = SERVICE_NAMES[i % SERVICE_NAMES.length];
    const name = i < SERVICE_NAMES.length ? base : `${base}${Math.floor(i / SERVICE_NAMES.length) + 1}`;
    const lang = i % 5 === 1 || i % 5 === 3 ? 'typescript' : 'python';
    const root_ = `services/${name}`;
    const svc: ServiceInfo = {
      name, lang, root: root_,
      config: lang === 'python' ? `${root_}/app/config.py` : `${root_}/src/config.ts`,
      staging: lang === 'python' ? 'scripts/deploy_to_gcp.py' : `deploy/deploy-${name}-staging.sh`,
      production: lang === 'python' ? `deploy/${name}-production.yaml` : i % 3 === 0 ? `.github/workflows/deploy-${name}.yml` : `cloudbuild-${name}-production.yaml`,
    };
    plans.push({
      svc, index: i,
      unsetFlag: i % 4 === 1,
      missingServiceSecret: i % 6 === 2 || i % 6 === 3,
      placeholder: i % 7 === 4,
      gate: i % 8 === 5,
      jwtDiverges: lang === 'typescript' && i % 10 === 3,
      socketSsl: lang === 'python' && i % 5 === 2,
      asyncpgSsl: lang === 'python' && i % 5 === 4,
    });
  }
  const expected: Record<string, number> = {};
  const planted: { rule: string; file: string }[] = [];
  const plant = (rule: string, file: string) => {
    expected[rule] = (expected[rule] ?? 0) + 1;
    planted.push({ rule, file });
  };

  // Root files.
  write('README.md', README('acme-platform'));
  write('.gitignore', 'node_modules/\ndist/\n__pycache__/\n*.pyc\n.venv/\n');
  write('scripts/deploy_to_gcp.py', pythonDeployScript(plans.filter((p) => p.svc.lang === 'python')));

  // Per-service fixed files and deploys.
  for (const p of plans) {
    const { svc } = p;
    write(`${svc.root}/Dockerfile`, svc.lang === 'python'
      ? 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "-m", "app.main"]\n'
      : 'FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY dist ./dist\nCMD ["node", "dist/index.js"]\n');
    write(`${svc.root}/.env.staging`, dotenv(p, 'staging'));
    write(`${svc.root}/.env.development`, dotenv(p, 'development'));
    write(`${svc.root}/README.md`, `# ${svc.name}\n\nOwned by the platform team.\n`);
    if (svc.lang === 'python') {
      write(`${svc.root}/requirements.txt`, 'fastapi==0.115.0\nuvicorn==0.30.6\nsqlalchemy==2.0.35\nasyncpg==0.29.0\nredis==5.0.8\n');
      write(`${svc.root}/app/__init__.py`, '');
      write(svc.config, pythonConfig(p));
      write(`${svc.root}/app/main.py`, pythonMain(p));
      write(svc.production, cloudRunYaml(p));
    } else {
      write(`${svc.root}/package.json`, JSON.stringify({ name: svc.name, private: true, scripts: { build: 'tsc -p .', test: 'node --test' } }, null, 2) + '\n');
      write(`${svc.root}/tsconfig.json`, '{ "compilerOptions": { "strict": true, "outDir": "dist" } }\n');
      write(svc.config, tsConfig(p));
      write(`${svc.root}/src/index.ts`, tsMain(p));
      write(`${svc.root}/src/log.ts`, 'export const log = {\n  warn: (obj: unknown, msg: string): void => console.warn(msg, obj),\n};\n');
      write(`${svc.root}/src/db.ts`, 'export interface Queryable {\n  query<T>(sql: string, params: unknown[]): Promise<T[]>;\n}\n');
      write(svc.staging, shellDeploy(p));
      write(svc.production, svc.production.endsWith('.yml') ? workflow(p) : cloudbuild(p));
      // A dependency folder that the scan must skip.
      write(`${svc.root}/node_modules/left-pad/index.js`, 'module.exports = (s, n) => String(s).padStart(n);\n');
    }
    // Planted findings, where they are reported: a disagreement between a read and a deploy is
    // one problem per deploy target lacking the variable, reported at that deploy (the read is
    // its related location).
    if (p.unsetFlag) for (const f of [svc.staging, svc.production]) plant('env-unset-for-deploy', f);
    if (p.missingServiceSecret) plant('env-unset-for-deploy', svc.staging);
    if (p.placeholder) plant('placeholder-secret', `${svc.root}/.env.staging`);
    if (p.gate) {
      plant('secret-manager-gate', svc.config);
      plant('gcp-project-id-unwired', svc.staging);
    }
    if (p.socketSsl) plant('cloudsql-socket-ssl', svc.production);
    if (p.asyncpgSsl) plant('db-ssl-param-driver', svc.staging);
    if (p.jwtDiverges) plant('jwt-secret-divergence', svc.staging);
  }

  // Fill with ordinary code up to the requested size.
  const remaining = Math.max(0, opts.files - files);
  const perService = Math.floor(remaining / plans.length);
  let extra = remaining - perService * plans.length;
  for (const p of plans) {
    const n = perService + (extra-- > 0 ? 1 : 0);
    const py = p.svc.lang === 'python';
    const ext = py ? 'py' : 'ts';
    const srcDir = py ? `${p.svc.root}/app` : `${p.svc.root}/src`;
    for (let k = 0; k < n; k++) {
      const entity = ENTITIES[k % ENTITIES.length];
      const group = Math.floor(k / ENTITIES.length);
      const roll = r.float();
      const lines = r.int(50, 400);
      if (roll < 0.05) {
        write(`${srcDir}/fixtures/${entity}_${group}.json`, JSON.stringify({ id: `${entity}-${k}`, items: [1, 2, 3], note: 'fixture' }, null, 2) + '\n');
      } else if (roll < 0.35) {
        write(`${srcDir}/models/${py ? entity : camel(entity)}${group || ''}.${ext}`, py ? pyModule(r, 'model', entity, lines) : tsModule(r, 'model', entity, lines));
      } else if (roll < 0.6) {
        write(`${srcDir}/utils/${entity}_${VERBS[group % VERBS.length]}${group}.${ext}`, py ? pyModule(r, 'util', entity, lines) : tsModule(r, 'util', entity, lines));
      } else if (roll < 0.85) {
        write(`${srcDir}/handlers/${entity}${group || ''}.${ext}`, py ? pyModule(r, 'handler', entity, lines) : tsModule(r, 'handler', entity, lines));
      } else {
        const rel = py ? `${p.svc.root}/tests/test_${entity}${group || ''}.py` : `${p.svc.root}/test/${entity}${group || ''}.test.ts`;
        write(rel, py ? pyModule(r, 'test', entity, Math.min(lines, 200)) : tsModule(r, 'test', entity, Math.min(lines, 200)));
      }
    }
  }

  // Probes for the server benchmark: a TS service whose config has a finding, and its deploy script.
  const probe = plans.find((p) => p.svc.lang === 'typescript' && p.unsetFlag && !p.missingServiceSecret)
    ?? plans.find((p) => p.svc.lang === 'typescript')!;
  return {
    root, files, bytes,
    services: plans.map((p) => p.svc),
    expected,
    planted,
    probes: {
      code: { file: probe.svc.config, insertBefore: 'export const serviceName' },
      deploy: {
        file: probe.svc.staging,
        from: 'SERVICE_SECRET=service-secret-staging:latest',
        to: 'SERVICE_SECRET_OLD=service-secret-staging:latest',
        // The problem is reported at the deploy (the config's read gets an other-end hint).
        affects: probe.svc.staging,
      },
    },
  };
}

if (require.main === module) {
  const n = Number(process.argv[2] ?? 1000);
  const res = generate({ files: n, seed: Number(process.argv[3] ?? 1), dir: process.argv[4] });
  process.stdout.write(JSON.stringify({ root: res.root, files: res.files, bytes: res.bytes, expected: res.expected }, null, 2) + '\n');
}
