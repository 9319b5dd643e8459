/** Public breaker state, as reported on /healthz and in the dashboards. */
export enum CircuitState {
  Closed = "closed",
  Open = "open",
  HalfOpen = "half_open",
}

/** Internal state machine; Isolated is set by hand during incidents. */
export enum BreakerState {
  Closed = "closed",
  Open = "open",
  HalfOpen = "half_open",
  Isolated = "isolated",
}

export class CircuitBreaker {
  private _state: BreakerState = BreakerState.Closed;
  private failures = 0;
  private openedAt = 0;

  constructor(
    readonly name: string,
    private readonly failureThreshold = 5,
    private readonly recoveryMs = 30_000,
  ) {}

  get state(): BreakerState {
    return this._state;
  }

  async call<T>(fn: () => Promise<T>): Promise<T> {
    if (this._state === BreakerState.Open && Date.now() - this.openedAt >= this.recoveryMs) {
      this._state = BreakerState.HalfOpen;
    }
    if (this._state === BreakerState.Open || this._state === BreakerState.Isolated) {
      throw new Error(`circuit ${this.name} is ${this._state}`);
    }
    try {
      const result = await fn();
      this.failures = 0;
      this._state = BreakerState.Closed;
      return result;
    } catch (err) {
      this.failures += 1;
      if (this.failures >= this.failureThreshold) {
        this._state = BreakerState.Open;
        this.openedAt = Date.now();
      }
      throw err;
    }
  }
}
