import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** Debian's chromium, when it is installed (the month bench then times opening its HTML report). */
function findChromium(): string | null {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * Seconds from asking chromium to open the report file to its load event and first paint having
 * happened, or null without a browser. A fresh browser each time, as a person opening the file.
 */
export async function secondsToOpen(file: string): Promise<number | null> {
  const executablePath = findChromium();
  if (!executablePath) return null;
  // Loaded only now: playwright-core is ~20 MB of heap, which would count as the fleet's memory.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  try {
    const page = await browser.newPage();
    const t = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // A frame after load: the report has been laid out and painted. (Runs in the page.)
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => resolve(null)))');
    return Math.round(performance.now() - t) / 1000;
  } finally {
    await browser.close();
  }
}
