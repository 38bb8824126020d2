/**
 * Counts work in flight outside the clock — MQTT messages between send and handling, connections
 * being set up — so the virtual clock can tell when the system is quiescent and only then move
 * time on. Every `begin` must be matched by one `end`.
 */
export class FlightTracker {
  private inFlight = 0;
  /** Bumped on every change, so a waiter can tell "nothing happened" from "settled and restarted". */
  private changes = 0;

  get pending(): number {
    return this.inFlight;
  }

  get activity(): number {
    return this.changes;
  }

  begin(n = 1): void {
    this.inFlight += n;
    this.changes++;
  }

  end(n = 1): void {
    this.inFlight -= n;
    this.changes++;
    if (this.inFlight < 0) {
      const extra = -this.inFlight;
      this.inFlight = 0;
      throw new Error(`FlightTracker: ${extra} more end() than begin(); a message was counted twice`);
    }
  }
}
