const STORAGE_KEY = 'fleetsim.token';

/**
 * Finds the bearer token: a one-time sign-in code in the URL's fragment (printed by `fleetsim
 * demo`; fragments never reach a server) traded for the token once, or the token kept for this tab.
 * Returns null when the page must ask for it.
 */
export async function findToken(): Promise<{ token: string | null; problem: string | null }> {
  const code = new URLSearchParams(location.hash.slice(1)).get('code');
  if (code) {
    history.replaceState(null, '', location.pathname + location.search);
    const res = await fetch('/dashboard/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    if (res.ok) {
      const { token } = (await res.json()) as { token: string };
      remember(token);
      return { token, problem: null };
    }
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    return {
      token: sessionStorage.getItem(STORAGE_KEY),
      problem: body?.error?.message ?? `HTTP ${res.status}`,
    };
  }
  return { token: sessionStorage.getItem(STORAGE_KEY), problem: null };
}

export function remember(token: string): void {
  sessionStorage.setItem(STORAGE_KEY, token);
}

export function forget(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** Checks a token against the control API; null when it works, else the service's words. */
export async function checkToken(token: string): Promise<string | null> {
  const res = await fetch('/sim/clock', { headers: { authorization: `Bearer ${token}` } });
  if (res.ok) return null;
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `HTTP ${res.status}`;
}
