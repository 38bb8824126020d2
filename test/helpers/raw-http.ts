import { request } from 'node:http';

export interface RawResponse {
  status: number;
  text: string;
  json: any;
}

/**
 * One HTTP request with the request target sent exactly as given — percent-encodings, dot
 * segments, double slashes and absolute-form included — which fetch() would normalize away.
 */
export function rawRequest(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // Content-Length always: without it Node's client sends a GET's or DELETE's body unframed,
    // which the server's parser rightly refuses as bytes after the request.
    const framed =
      body !== undefined ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers;
    const req = request(
      { host: '127.0.0.1', port, method, path: target, headers: framed, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {}
          resolve({ status: res.statusCode ?? 0, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** Graph's error body: {"error": {"code", "message", "innerError": {date, request-id, client-request-id}}}. */
export function isGraphError(json: any): boolean {
  const e = json?.error;
  return (
    typeof e?.code === 'string' &&
    typeof e.message === 'string' &&
    typeof e.innerError?.date === 'string' &&
    typeof e.innerError['request-id'] === 'string' &&
    typeof e.innerError['client-request-id'] === 'string'
  );
}
