import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { dashboardCode } from '../../broker/http/dashboard-session.ts';
import type { Serving } from '../../cli/serve.ts';

/**
 * The dashboard in Debian's chromium, driven by playwright-core (no browser download): finding the
 * browser, signing in, and measuring input-to-paint, shared by the browser tests.
 */

export const SHOTS = 'reports/screenshots';

function findChromium(): string | null {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
export const CHROMIUM = findChromium();

export async function launchChromium(): Promise<{ browser: Browser; page: Page }> {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM!,
    args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
  });
  return { browser, page: await browser.newPage({ viewport: { width: 1440, height: 900 } }) };
}

/** GET with the bearer token, as JSON. */
export async function apiGet(serving: Serving, path: string): Promise<any> {
  const res = await fetch(`${serving.httpUrl}${path}`, {
    headers: { authorization: `Bearer ${serving.token}` },
  });
  return res.json();
}

/** Opens the page with a one-time sign-in code in the URL fragment (never sent to the server). */
export async function signIn(page: Page, serving: Serving): Promise<void> {
  await page.goto(`${serving.httpUrl}/dashboard/#code=${dashboardCode(serving.token)}`);
}

/**
 * Types into the search box and deletes it again, timing each keystroke from the input event's
 * timestamp to just after the next frame is painted; writes the figures to `reportPath`.
 */
export async function measureInputToPaint(
  page: Page,
  devices: number,
  reportPath: string,
): Promise<{ median: number; max: number; all: number[] }> {
  // In the page (a string: the test compiles without the DOM's types).
  await page.evaluate(`
    window.inputToPaint = [];
    document.addEventListener('input', (e) =>
      requestAnimationFrame(() => setTimeout(() => window.inputToPaint.push(performance.now() - e.timeStamp))), true);
  `);
  await page.getByTestId('search').click();
  await page.keyboard.type('DESKTOP', { delay: 50 });
  for (let i = 0; i < 7; i++) await page.keyboard.press('Backspace', { delay: 50 });
  await page.waitForFunction('window.inputToPaint.length === 14', null, { timeout: 30_000 });
  const samples = (await page.evaluate('window.inputToPaint')) as number[];
  const sorted = [...samples].sort((a, b) => a - b);
  const inputToPaintMs = {
    median: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(1)),
    max: Number(sorted.at(-1)!.toFixed(1)),
    all: samples.map((s) => Number(s.toFixed(1))),
  };
  writeFileSync(
    reportPath,
    `${JSON.stringify({ devices, keystrokes: samples.length, inputToPaintMs }, null, 2)}\n`,
  );
  console.log(`dashboard input-to-paint with ${devices} devices:`, inputToPaintMs);
  return inputToPaintMs;
}
