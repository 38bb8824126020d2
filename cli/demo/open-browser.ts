import { spawn } from 'node:child_process';

/** The platform's "open this URL" command, where there is one. */
const OPENERS: Partial<Record<NodeJS.Platform, [string, string[]]>> = {
  darwin: ['open', []],
  win32: ['cmd', ['/c', 'start', '""']],
  linux: ['xdg-open', []],
  freebsd: ['xdg-open', []],
};

/** Opens the default browser; resolves to a reason when it cannot (the demo goes on regardless). */
export function openBrowser(url: string): Promise<string | null> {
  const opener = OPENERS[process.platform];
  if (!opener) return Promise.resolve(`no browser opener on ${process.platform}`);
  return new Promise((resolve) => {
    const child = spawn(opener[0], [...opener[1], url], { stdio: 'ignore', detached: true });
    child.once('error', (e) => resolve(`could not open a browser: ${e.message}`));
    child.once('spawn', () => {
      child.unref();
      resolve(null);
    });
  });
}
