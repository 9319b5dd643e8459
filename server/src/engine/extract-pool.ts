/**
 * Extraction on worker threads, for a cold load of a large tree. Parsing Python and TypeScript is
 * almost all of a cold run's cost and each file's facts depend on that file alone, so the files
 * are spread over a few workers and their facts come back as data. The workspace applies them
 * exactly as if it had extracted them itself: the model is the same for any number of workers
 * (test/engine/extract-pool.test.ts), and the main thread stays free while the workers parse.
 *
 * A worker runs the same code as its host: the bundle itself (dist/cli.js, dist/server.js, whose
 * entry points hand over to `startExtractWorker` when started as a worker), or, from the
 * TypeScript sources, ./extract-worker.ts loaded through tsx.
 */
import * as path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { FileFacts } from '../core/facts';
import type { ExtractOptions } from '../extract/options';
import { parsing } from '../chunks/load';

const ROLE = 'deploy-preflight/extract';

export interface ExtractJob {
  rel: string;
  text: string;
}

interface Request { id: number; jobs: ExtractJob[]; options: ExtractOptions }
interface Reply { id: number; facts?: FileFacts[]; error?: string }

/** True inside a thread started by an `ExtractPool`: the bundle's entry point must not start its host. */
export function isExtractWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | undefined)?.role === ROLE;
}

/** The worker's side: extract each job's file and send the facts back (extractFile never throws). */
export function startExtractWorker(): void {
  const port = parentPort;
  if (!port) return;
  const ready = parsing().initParsers();
  port.on('message', (req: Request) => {
    ready.then(
      () => port.postMessage({ id: req.id, facts: req.jobs.map((j) => parsing().extractFile(j.rel, j.text, req.options)) } satisfies Reply),
      (err: unknown) => port.postMessage({ id: req.id, error: String((err as Error)?.message ?? err) } satisfies Reply),
    );
  });
}

interface Slot { worker: Worker; busy: boolean; failed: boolean }
interface Pending { req: Request; resolve: (f: FileFacts[] | undefined) => void }

export class ExtractPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Map<number, { slot: Slot; pending: Pending }>();
  private nextId = 1;
  /** Files the workers have extracted so far. */
  answered = 0;

  /** Starts `count` workers; undefined when none could be started (the caller extracts inline). */
  static start(count: number): ExtractPool | undefined {
    const pool = new ExtractPool();
    for (let i = 0; i < count; i++) {
      try {
        pool.add(newWorker());
      } catch {
        break;
      }
    }
    return pool.slots.length ? pool : undefined;
  }

  get size(): number {
    return this.slots.length;
  }

  /**
   * The facts of each job's file, in job order; undefined when the pool could not do it (a worker
   * died, or failed to load its parsers): the caller then extracts those files itself.
   */
  extract(jobs: ExtractJob[], options: ExtractOptions): Promise<FileFacts[] | undefined> {
    if (!this.slots.some((s) => !s.failed)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.queue.push({ req: { id: this.nextId++, jobs, options }, resolve });
      this.pump();
    });
  }

  /** Ends every worker; jobs not yet answered resolve undefined. */
  async close(): Promise<void> {
    for (const p of this.queue.splice(0)) p.resolve(undefined);
    for (const { pending } of this.inFlight.values()) pending.resolve(undefined);
    this.inFlight.clear();
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => 0)));
    this.slots.length = 0;
  }

  private add(worker: Worker): void {
    const slot: Slot = { worker, busy: false, failed: false };
    worker.on('message', (reply: Reply) => {
      const entry = this.inFlight.get(reply.id);
      if (!entry) return;
      this.inFlight.delete(reply.id);
      slot.busy = false;
      this.answered += reply.facts?.length ?? 0;
      entry.pending.resolve(reply.facts);
      this.pump();
    });
    const fail = (): void => {
      if (slot.failed) return;
      slot.failed = true;
      for (const [id, e] of this.inFlight) {
        if (e.slot !== slot) continue;
        this.inFlight.delete(id);
        e.pending.resolve(undefined);
      }
      if (this.slots.every((s) => s.failed)) for (const p of this.queue.splice(0)) p.resolve(undefined);
      else this.pump();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    this.slots.push(slot);
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || slot.failed) continue;
      const pending = this.queue.shift();
      if (!pending) return;
      slot.busy = true;
      this.inFlight.set(pending.req.id, { slot, pending });
      slot.worker.postMessage(pending.req);
    }
  }
}

function newWorker(): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(__filename, { workerData: { role: ROLE } });
  // From the sources (tests, tsx): a worker does not inherit tsx's loader hooks, so it registers
  // tsx itself before loading the sibling entry.
  const entry = JSON.stringify(path.join(__dirname, 'extract-worker.ts'));
  return new Worker(`require('tsx/cjs/api').register(); require(${entry});`, { eval: true, workerData: { role: ROLE } });
}
