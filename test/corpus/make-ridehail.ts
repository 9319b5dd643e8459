/**
 * Generates the bulk of test/corpus/ridehail: ordinary models, handlers, utils and tests that
 * never (or only harmlessly) touch the environment. Deterministic: same output on every run.
 * The deploy/config core of the corpus is hand-written and not touched by this script.
 *
 *   node --import tsx test/corpus/make-ridehail.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, 'ridehail');
const NOUNS = ['rider', 'driver', 'vehicle', 'trip', 'fare', 'zone', 'shift', 'rating', 'promo', 'payout',
  'invoice', 'receipt', 'document', 'incident', 'dispute', 'referral', 'wallet', 'geofence', 'quote', 'surge'];
const pascal = (s: string): string => s.replace(/(^|_)(\w)/g, (_m, _u, c: string) => c.toUpperCase());
const camel = (s: string): string => s.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());

let written = 0;
function write(rel: string, text: string): void {
  const p = path.join(ROOT, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  written++;
}

function pyModel(n: string, i: number): string {
  const C = pascal(n);
  return `"""${C} persistence model."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum


class ${C}Kind(str, Enum):
    STANDARD = "standard"
    PREMIUM = "premium"
    ${i % 3 === 0 ? 'LEGACY = "legacy"' : 'POOL = "pool"'}


@dataclass
class ${C}:
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    kind: ${C}Kind = ${C}Kind.STANDARD
    created_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    environment: str = "default"  # tenant environment label, unrelated to deploys

    def is_premium(self) -> bool:
        return self.kind == ${C}Kind.PREMIUM

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind.value, "created_at": self.created_at.isoformat()}
`;
}

function pyHandler(n: string, i: number, pkg: string): string {
  const C = pascal(n);
  return `from fastapi import APIRouter, HTTPException

from ${pkg}.models.${n} import ${C}, ${C}Kind

router = APIRouter(prefix="/${n}s", tags=["${n}"])
_store: dict[str, ${C}] = {}


@router.post("")
async def create_${n}(kind: ${C}Kind = ${C}Kind.STANDARD) -> dict:
    item = ${C}(kind=kind)
    _store[item.id] = item
    return item.to_dict()


@router.get("/{item_id}")
async def get_${n}(item_id: str) -> dict:
    item = _store.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="${n} not found")
    return item.to_dict()
${i % 4 === 0 ? `

def page_size(params: dict) -> int:
    # "env" here is the request's query mapping, not the process environment.
    env = params
    return int(env.get("page_size", 50))
` : ''}`;
}

function pyUtil(n: string, i: number): string {
  return `import math
import os.path


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def ${n}_fixture_path(name: str) -> str:
    return os.path.join(os.path.dirname(__file__), "fixtures", "${n}", name)


def round_fare_${i}(amount: float, step: float = 0.05) -> float:
    return round(round(amount / step) * step, 2)
`;
}

function pyTest(n: string, pkg: string): string {
  const C = pascal(n);
  return `import os

import pytest

from ${pkg}.models.${n} import ${C}, ${C}Kind


@pytest.fixture
def api_key(monkeypatch):
    monkeypatch.setenv("${n.toUpperCase()}_API_KEY", "test")
    return os.environ["${n.toUpperCase()}_API_KEY"]


def test_${n}_defaults(api_key):
    item = ${C}()
    assert item.kind == ${C}Kind.STANDARD
    assert not item.is_premium()


def test_${n}_roundtrip():
    assert ${C}(kind=${C}Kind.PREMIUM).to_dict()["kind"] == "premium"
`;
}

function tsRoute(n: string, i: number): string {
  const C = pascal(n);
  return `import { Router } from "express";

export interface ${C} {
  id: string;
  createdAt: string;
  status: "active" | "archived";
}

const items = new Map<string, ${C}>();
export const ${camel(n)}Router = Router();

${camel(n)}Router.get("/${n}s/:id", (req, res) => {
  const item = items.get(req.params.id);
  if (!item) return res.status(404).json({ error: "${n} not found" });
  return res.json(item);
});

${camel(n)}Router.post("/${n}s", (req, res) => {
  const item: ${C} = { id: crypto.randomUUID(), createdAt: new Date().toISOString(), status: "active" };
  items.set(item.id, item);
  res.status(201).json(item);
});
${i % 5 === 0 ? `
export const isTestRun = process.env.NODE_ENV === "test";
` : ''}`;
}

function tsSpec(n: string): string {
  return `import { describe, expect, it } from "vitest";
import { ${camel(n)}Router } from "../src/routes/${n}";

describe("${n} routes", () => {
  it("registers handlers", () => {
    expect(${camel(n)}Router.stack.length).toBe(2);
  });
  it("uses the test database", () => {
    expect(process.env.TEST_DATABASE_URL ?? "").not.toContain("prod");
  });
});
`;
}

function tsxComponent(n: string, i: number): string {
  const C = pascal(n);
  return `import React from "react";

export interface ${C}CardProps {
  title: string;
  subtitle?: string;
  onSelect?: (id: string) => void;
  id: string;
}

export function ${C}Card({ title, subtitle, onSelect, id }: ${C}CardProps) {
  return (
    <div className="card card-${i % 3}" onClick={() => onSelect?.(id)}>
      <h3>{title}</h3>
      {subtitle ? <p>{subtitle}</p> : null}
    </div>
  );
}
`;
}

function djangoModel(n: string): string {
  const C = pascal(n);
  return `from django.db import models


class ${C}(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"${C} {self.pk}"
`;
}

for (const [i, n] of NOUNS.entries()) {
  // api (FastAPI): models, handlers, utils, tests
  write(`services/api/app/models/${n}.py`, pyModel(n, i));
  write(`services/api/app/handlers/${n}.py`, pyHandler(n, i, 'app'));
  write(`services/api/app/utils/${n}_geo.py`, pyUtil(n, i));
  write(`services/api/tests/test_${n}.py`, pyTest(n, 'app'));
  // dispatch (Django)
  write(`services/dispatch/trips/models_${n}.py`, djangoModel(n));
  // worker (Celery) utilities
  if (i % 2 === 0) write(`services/worker/worker/jobs/${n}.py`, pyUtil(n, i));
  // payments
  if (i % 2 === 1) {
    write(`services/payments/payments/models/${n}.py`, pyModel(n, i));
    write(`services/payments/tests/test_${n}.py`, pyTest(n, 'payments'));
  }
  // gateway + notifier (Express/TS)
  write(`services/gateway/src/routes/${n}.ts`, tsRoute(n, i));
  write(`services/gateway/test/${n}.spec.ts`, tsSpec(n));
  if (i % 2 === 0) write(`services/notifier/src/templates/${n}.ts`, `export const ${camel(n)}Subject = (name: string): string => \`Your ${n} update, \${name}\`;\n`);
  // web (Next.js) + admin (Vite)
  write(`services/web/components/${pascal(n)}Card.tsx`, tsxComponent(n, i));
  write(`services/admin/src/pages/${pascal(n)}Page.tsx`, `import React from "react";\nimport { ${pascal(n)}Card } from "../../../web/components/${pascal(n)}Card";\n\nexport default function ${pascal(n)}Page() {\n  return <${pascal(n)}Card id="${n}" title="${pascal(n)}s" />;\n}\n`);
}
for (const pkg of ['models', 'handlers', 'utils']) write(`services/api/app/${pkg}/__init__.py`, '');
write('services/worker/worker/jobs/__init__.py', '');
write('services/payments/payments/models/__init__.py', '');
// docs
for (const d of ['runbook-deploy', 'runbook-oncall', 'adr-001-monorepo', 'adr-002-secrets', 'adr-003-celery']) {
  write(`docs/${d}.md`, `# ${d}\n\nSee the Makefile targets. Secrets live in Secret Manager (\`jwt-secret-<env>\`).\n`);
}
console.log(`wrote ${written} files under ${path.relative(process.cwd(), ROOT)}`);
