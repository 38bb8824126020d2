import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardCode } from '../../broker/http/dashboard-session.ts';
import { demoFleet } from '../../cli/demo/demo-fleet.ts';
import type { Serving } from '../../cli/serve.ts';
import { apiGet, SHOTS } from '../helpers/dashboard-browser.ts';
import { serveOnFreePorts } from '../helpers/serving.ts';

/**
 * The dashboard in Firefox: Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi, the
 * W3C protocol stock Firefox speaks (playwright needs a patched Firefox it would have to download).
 * The presenter's story once more — sign in, a protected wipe, the power cut mid-reset, the resume —
 * so what works in chromium is shown to work here too.
 */

function findFirefox(): string | null {
  for (const name of ['firefox-esr', 'firefox'])
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
    } catch {}
  return null;
}
const FIREFOX = findFirefox();
if (!FIREFOX)
  console.warn(
    'test/e2e/dashboard-firefox.test.ts skipped: firefox is not installed (apt-get install -y firefox-esr)',
  );

describe.skipIf(!FIREFOX)('the dashboard in firefox', () => {
  let serving: Serving;
  let browser: Browser;
  let page: Page;
  const text = (testId: string) =>
    page
      .$eval(`[data-testid="${testId}"]`, (e) => (e as unknown as { innerText: string }).innerText)
      .catch(() => '');
  const click = async (selector: string) => (await page.waitForSelector(selector))!.click();
  /** A button by its exact visible text (the page's own labels, as a presenter reads them). */
  const button = (label: string) => click(`::-p-xpath(//button[normalize-space(.)="${label}"])`);
  /** A clock step, waiting for the service to have moved (the wait is set before the click). */
  const step = async (label: string) => {
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/sim/clock/advance')), button(label)]);
  };

  beforeAll(async () => {
    serving = await serveOnFreePorts({ seed: 'e2e-firefox', fleet: { cohorts: demoFleet(300) } });
    mkdirSync(SHOTS, { recursive: true });
    browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX!, headless: true });
    page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 900 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serving?.stop();
  });

  it('signs in from the link, shows the fleet, and runs a protected wipe through a power cut to the end', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push((e as Error).message));
    await page.goto(`${serving.httpUrl}/dashboard/#code=${dashboardCode(serving.token)}`);
    await expect.poll(() => text('live'), { timeout: 20_000 }).toBe('● live');
    const total = (await apiGet(serving, '/sim/fleet/devices')).devices.length;
    await expect.poll(() => text('shown-count'), { timeout: 20_000 }).toBe(`${total} of ${total}`);
    expect(page.url()).not.toContain('code=');

    const [target] = (
      await apiGet(
        serving,
        "/beta/deviceManagement/managedDevices?$filter=operatingSystem eq 'Windows' and startswith(osVersion,'10.0.19045')&$top=1",
      )
    ).value as { deviceName: string }[];
    const name = target!.deviceName;
    await page.type('[data-testid="search"]', name);
    await click('details.list > summary');
    await button(name);
    await expect
      .poll(() => page.$eval('#drawer-title', (e) => (e as unknown as { innerText: string }).innerText))
      .toBe(name);

    // The drawer re-renders as events arrive; a click that landed on a button being replaced is
    // clicked again until the dialog is open.
    const labelXPath =
      '::-p-xpath(//dialog[@open]//label[contains(., "continue to wipe even if device loses power")])';
    await expect
      .poll(
        async () => {
          if (await page.$(labelXPath)) return true;
          await button('Wipe…');
          return false;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    const label = await page.$(labelXPath);
    const boxId = await label!.evaluate((l) => l.getAttribute('for'));
    await click(`dialog input[id="${boxId}"]`);
    await click('::-p-xpath(//dialog//button[normalize-space(.)="Wipe"])');
    await expect.poll(() => text('notice')).toContain(`Wipe (protected against power loss) sent to ${name}`);

    const reset = () => text('drawer-reset');
    for (let i = 0; i < 40 && !(await reset()).startsWith('protected wipe in progress'); i++) {
      await step('+1 min');
    }
    expect(await reset()).toMatch(/^protected wipe in progress/);
    await button('Cut the power');
    await expect.poll(() => text('drawer-power')).toBe('off');
    await step('+15 min');
    await button('Power on');
    await expect.poll(reset).toMatch(/^protected wipe in progress, attempt 2/);
    for (let i = 0; i < 40 && (await text('drawer-state')) !== 'removed'; i++) {
      await step('+15 min');
    }
    expect(await text('drawer-state')).toBe('removed');
    const log = await text('event-log');
    expect(log).toContain(`${name}: protected reset resumed (attempt 2)`);
    expect(log).toContain(`${name} record removed (wipe, W-1)`);
    await page.screenshot({ path: `${SHOTS}/firefox-protected-wipe-finished.png` });
    expect(errors).toEqual([]);
  }, 180_000);
});
