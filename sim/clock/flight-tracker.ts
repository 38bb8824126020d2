/**
 * Counts work in flight outside the clock — MQTT messages between send and receipt, connections
 * being set up — so the virtual clock can tell when the system is quiescent and only then move
 * time on. Messages are counted per client, so a client that drops its connection settles what
 * it still owed or was owed (nothing else would).
 */
/**
 * What one tracked client has in flight. Its endpoint keeps it (from `track`), so counting one of
 * its messages looks nothing up: with a big fleet, the lookups by id of a hundred thousand
 * clients missed the CPU's caches on every message.
 */
export interface ClientFlight {
  /** Sent by it, not yet routed by the broker. */
  publishing: number;
  /** Being delivered to it. */
  owed: number;
}

export class FlightTracker {
  private inFlight = 0;
  private changes = 0;
  /**
   * Every tracked client with its counts, kept at zero rather than deleted: a map entry added and
   * deleted around every message made the map rehash and reallocate its table, which outlived the
   * young generation — a tenth of what a big fleet's check-ins left for the old one.
   */
  private readonly clients = new Map<string, ClientFlight>();
  /** TCP connections open to this process's broker (socketOpened/socketClosed). */
  private socketsOpen = 0;

  get pending(): number {
    return this.inFlight;
  }

  /** Bumped on every change, so a waiter can tell "nothing happened" from "settled and restarted". */
  get activity(): number {
    return this.changes;
  }

  /**
   * TCP connections open to the broker in this process. While there is one, a write that just
   * completed may be read only at a later poll of the event loop, so the virtual clock waits for
   * two quiet turns before it moves on. Over in-memory streams a write is read within its turn, and
   * what aedes puts off to a later turn (a delivery, a write's callback) is counted here until it
   * lands, so one quiet turn is enough, and an instant whose messages all landed in its own ticks
   * needs none (VirtualClock.settleInTicks). Only the broker's ends are counted: a device on TCP in
   * this process (tests) may read the broker's close of its connection a poll after the count fell.
   */
  get sockets(): number {
    return this.socketsOpen;
  }

  socketOpened(): void {
    this.socketsOpen++;
  }

  socketClosed(): void {
    this.socketsOpen--;
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
    const list = (of: keyof ClientFlight) =>
      [...this.clients]
        .filter(([, f]) => f[of] > 0)
        .map(([c, f]) => `${c}×${f[of]}`)
        .join(', ') || 'none';
    let counted = 0;
    for (const f of this.clients.values()) counted += f.publishing + f.owed;
    return `sending: ${list('publishing')}; being delivered to: ${list('owed')}; other operations (connects, closes): ${this.inFlight - counted}`;
  }

  /**
   * Marks a client whose traffic is counted (ours, in a virtual run); others pass uncounted.
   * Returns its counts, the same object for as long as the tracker lives (entries are never
   * deleted), for `sent`, `received`, `routed` and `owe` to be given: only objects from this
   * method or `tracked`, which calls by id reach too.
   */
  track(clientId: string): ClientFlight {
    return this.flightOf(clientId);
  }

  /** A tracked client's counts; null for a client not tracked (its traffic passes uncounted). */
  tracked(clientId: string): ClientFlight | null {
    return this.clients.get(clientId) ?? null;
  }

  private flightOf(clientId: string): ClientFlight {
    let f = this.clients.get(clientId);
    if (!f) {
      f = { publishing: 0, owed: 0 };
      this.clients.set(clientId, f);
    }
    return f;
  }

  /** A tracked client sent a message: in flight until the broker has routed it. */
  sent(client: string | ClientFlight): void {
    (typeof client === 'string' ? this.flightOf(client) : client).publishing++;
    this.begin();
  }

  /** The broker routed (or refused) a message the client sent. */
  routed(client: string | ClientFlight): void {
    const f = typeof client === 'string' ? this.clients.get(client) : client;
    if (!f || f.publishing === 0) return;
    f.publishing--;
    this.end();
  }

  /** The broker is delivering a message to a client: counted if the client is tracked. */
  owe(client: string | ClientFlight): void {
    const f = typeof client === 'string' ? this.clients.get(client) : client;
    if (!f) return;
    f.owed++;
    this.begin();
  }

  /** The client received a delivery. */
  received(client: string | ClientFlight): void {
    const f = typeof client === 'string' ? this.clients.get(client) : client;
    if (!f || f.owed === 0) return;
    f.owed--;
    this.end();
  }

  /** The client's connection is gone: what it was sending or being sent will never arrive. */
  dropClient(clientId: string): void {
    const f = this.clients.get(clientId);
    if (!f) return;
    const n = f.publishing + f.owed;
    f.publishing = 0;
    f.owed = 0;
    if (n > 0) this.end(n);
  }
}
