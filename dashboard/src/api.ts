import { type Refusal, readRefusal } from './logic/actions.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

/** Calls to fleetsim's own APIs with the bearer token in a header, never in a page URL. */
export class Api {
  constructor(readonly token: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
    const res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) return { ok: false, refusal: readRefusal(res.status, json) };
    return { ok: true, value: json as T };
  }

  /** GET that must succeed; a failure is thrown with the service's message. */
  async get<T>(path: string): Promise<T> {
    const r = await this.call<T>('GET', path);
    if (!r.ok) throw new Error(r.refusal.message);
    return r.value;
  }

  /** Every page of a Graph collection, following @odata.nextLink (as a path on this server). */
  async getAll<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    let next: string | null = path;
    while (next) {
      const page: { value: T[]; '@odata.nextLink'?: string } = await this.get(next);
      out.push(...page.value);
      const link = page['@odata.nextLink'];
      next = link ? new URL(link).pathname + new URL(link).search : null;
    }
    return out;
  }

  /**
   * The event stream. Browsers cannot set headers on a WebSocket, and /sim/events/stream takes the
   * token from ?access_token= then; fleetsim logs no request URLs (see the README's dashboard notes).
   */
  eventsUrl(): string {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}/sim/events/stream?access_token=${encodeURIComponent(this.token)}`;
  }
}
