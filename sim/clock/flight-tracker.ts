/**
 * Counts work in flight outside the clock — MQTT messages between send and receipt, connections
 * being set up — so the virtual clock can tell when the system is quiescent and only then move
 * time on. Messages are counted per client, so a client that drops its connection settles what
 * it still owed or was owed (nothing else would).
 */
export class FlightTracker {
  private inFlight = 0;
  private changes = 0;
  private readonly publishing = new Map<string, number>();
  private readonly owed = new Map<string, number>();
  private readonly tracked = new Set<string>();

  get pending(): number {
    return this.inFlight;
  }

  /** Bumped on every change, so a waiter can tell "nothing happened" from "settled and restarted". */
  get activity(): number {
    return this.changes;
  }

  begin(n = 1): void {
    this.inFlight += n;
    this.changes++;
  }

  end(n = 1): void {
    if (n > this.inFlight) throw new Error(`FlightTracker: end(${n}) with ${this.inFlight} in flight`);
    this.inFlight -= n;
    this.changes++;
  }

  /** What is in flight, for a stall report. */
  describe(): string {
    const list = (m: Map<string, number>) => [...m].map(([c, n]) => `${c}×${n}`).join(', ') || 'none';
    const other =
      this.inFlight - [...this.publishing.values(), ...this.owed.values()].reduce((a, b) => a + b, 0);
    return `sending: ${list(this.publishing)}; being delivered to: ${list(this.owed)}; other operations (connects, closes): ${other}`;
  }

  /** Marks a client whose traffic is counted (ours, in a virtual run); others pass uncounted. */
  track(clientId: string): void {
    this.tracked.add(clientId);
  }

  isTracked(clientId: string | undefined): clientId is string {
    return clientId !== undefined && this.tracked.has(clientId);
  }

  private bump(map: Map<string, number>, clientId: string, by: number): void {
    const n = (map.get(clientId) ?? 0) + by;
    if (n <= 0) map.delete(clientId);
    else map.set(clientId, n);
  }

  /** A tracked client sent a message: in flight until the broker has routed it. */
  sent(clientId: string): void {
    this.bump(this.publishing, clientId, 1);
    this.begin();
  }

  /** The broker routed (or refused) a message the client sent. */
  routed(clientId: string): void {
    if (!this.publishing.get(clientId)) return;
    this.bump(this.publishing, clientId, -1);
    this.end();
  }

  /** The broker is delivering a message to a tracked client. */
  owe(clientId: string): void {
    this.bump(this.owed, clientId, 1);
    this.begin();
  }

  /** The client received a delivery. */
  received(clientId: string): void {
    if (!this.owed.get(clientId)) return;
    this.bump(this.owed, clientId, -1);
    this.end();
  }

  /** The client's connection is gone: what it was sending or being sent will never arrive. */
  dropClient(clientId: string): void {
    const n = (this.publishing.get(clientId) ?? 0) + (this.owed.get(clientId) ?? 0);
    this.publishing.delete(clientId);
    this.owed.delete(clientId);
    if (n > 0) this.end(n);
  }
}
