/** "reading 120/450 files" on stderr while a workspace loads: for a person at a terminal only
 * (never in CI logs or pipes, where carriage returns would litter the output). */
export function progressReporter(err: (s: string) => void, enabled: boolean): { update(done: number, total: number): void; done(): void } {
  if (!enabled) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      err(`\r\x1b[Kdeploy-preflight: reading files ${done}/${total}`);
    },
    done() {
      if (shown) err('\r\x1b[K');
    },
  };
}
