import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** Where the certificate is, so a client can be told to trust it. */
  certPath: string;
}

/**
 * HTTPS as Graph serves it. A self-signed certificate for localhost and 127.0.0.1 is made at the
 * first start and kept in the data directory; or the caller brings its own.
 */
export function selfSignedTls(dataDir: string): TlsMaterial {
  mkdirSync(dataDir, { recursive: true });
  const certPath = join(dataDir, 'fleetsim-cert.pem');
  const keyPath = join(dataDir, 'fleetsim-key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    const pems = selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
      days: 825,
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    writeFileSync(keyPath, pems.private, { mode: 0o600 });
    writeFileSync(certPath, pems.cert);
  }
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}

export function ownTls(certPath: string, keyPath: string): TlsMaterial {
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), certPath };
}
