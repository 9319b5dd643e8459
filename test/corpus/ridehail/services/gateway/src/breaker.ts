export enum BreakerState {
  Closed = "closed",
  Open = "open",
  HalfOpen = "half_open",
}

export class Breaker {
  private current: BreakerState = BreakerState.Closed;
  private failures = 0;

  get state(): BreakerState {
    return this.current;
  }

  record(ok: boolean): void {
    this.failures = ok ? 0 : this.failures + 1;
    this.current = this.failures > 5 ? BreakerState.Open : BreakerState.Closed;
  }
}
