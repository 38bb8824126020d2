import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFleet } from '../../cli/demo/demo-fleet.ts';
import type { Serving } from '../../cli/serve.ts';
import * as browserTest from '../helpers/dashboard-browser.ts';
import { serveOnFreePorts } from '../helpers/serving.ts';

/**
 * The fleet view at the scale: 10,000 devices on the canvas in chromium, every one counted,
 * and input-to-paint measured and written to reports/ (a figure to read, not a timed assertion).
 */
const FLEET_SIZE = 10_000;

describe.skipIf(!browserTest.CHROMIUM)(`the dashboard with ${FLEET_SIZE} devices in chromium`, () => {
  let serving: Serving;
  let close: () => Promise<void>;
  let page: Awaited<ReturnType<typeof browserTest.launchChromium>>['page'];

  beforeAll(async () => {
    serving = await serveOnFreePorts({ seed: 'e2e-10k', fleet: { cohorts: demoFleet(FLEET_SIZE) } });
    const launched = await browserTest.launchChromium();
    page = launched.page;
    close = () => launched.browser.close();
  }, 600_000);

  afterAll(async () => {
    await close?.();
    await serving?.stop();
  });

  it('shows every device and measures input-to-paint while searching', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await browserTest.signIn(page, serving);
    const total = (await browserTest.apiGet(serving, '/sim/fleet/devices')).devices.length;
    expect(total).toBeGreaterThanOrEqual(FLEET_SIZE - 20);
    await expect
      .poll(() => page.getByTestId('shown-count').innerText(), { timeout: 120_000 })
      .toBe(`${total} of ${total}`);
    await page.screenshot({ path: `${browserTest.SHOTS}/8-fleet-${FLEET_SIZE}.png` });
    const measured = await browserTest.measureInputToPaint(
      page,
      total,
      `reports/dashboard-responsiveness-${FLEET_SIZE}.json`,
    );
    expect(measured.all).toHaveLength(14);
    // Searching and clearing leaves the whole fleet shown again.
    expect(await page.getByTestId('shown-count').innerText()).toBe(`${total} of ${total}`);
    expect(errors).toEqual([]);
  }, 300_000);
});
