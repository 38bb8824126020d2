import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFleet } from '../../cli/demo/demo-fleet.ts';
import type { Serving } from '../../cli/serve.ts';
import {
  apiGet,
  CHROMIUM,
  launchChromium,
  measureInputToPaint,
  SHOTS,
  signIn,
} from '../helpers/dashboard-browser.ts';
import { serveOnFreePorts } from '../helpers/serving.ts';

/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core (no browser
 * download). On the virtual clock, so the test moves time itself through the page's step buttons.
 */

const FLEET_SIZE = 2000;

if (!CHROMIUM)
  console.warn('test/e2e/dashboard.test.ts skipped: chromium is not installed (apt-get install -y chromium)');

describe.skipIf(!CHROMIUM)('the dashboard in chromium', () => {
  let serving: Serving;
  let browser: Browser;
  let page: Page;
  const api = (path: string) => apiGet(serving, path);
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });
  const text = (testId: string) => page.getByTestId(testId).innerText();

  /** Clicks a clock step until `done` holds; bounded, and each step waits for the service to settle. */
  async function stepUntil(label: string, done: () => Promise<boolean>, what: string, stepsMax = 40) {
    for (let i = 0; i < stepsMax; i++) {
      if (await done()) return;
      await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/sim/clock/advance')),
        page.getByRole('button', { name: label, exact: true }).click(),
      ]);
    }
    throw new Error(`after ${stepsMax} clicks on ${label}: still waiting for ${what}`);
  }

  async function openDevice(name: string) {
    await page.getByTestId('search').fill(name);
    if ((await page.locator('details.list').getAttribute('open')) === null)
      await page.locator('details.list > summary').click();
    await page.locator('details.list').getByRole('button', { name, exact: true }).click();
    await expect.poll(() => page.locator('#drawer-title').innerText()).toBe(name);
  }

  beforeAll(async () => {
    serving = await serveOnFreePorts({
      seed: 'e2e',
      fleet: { cohorts: demoFleet(FLEET_SIZE) },
      // A small scenario library with one scenario that passes and one that fails.
      scenarioDir: 'test/fixtures/playback',
    });
    ({ browser, page } = await launchChromium());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serving?.stop();
  });

  it('signs in with the one-time code from the URL fragment and shows the whole fleet live', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signIn(page, serving);
    await expect.poll(() => text('live'), { timeout: 15_000 }).toBe('● live');
    const total = (await api('/sim/fleet/devices')).devices.length;
    await expect.poll(() => text('shown-count'), { timeout: 15_000 }).toBe(`${total} of ${total}`);
    expect(total).toBeGreaterThanOrEqual(FLEET_SIZE - 20);
    expect(page.url()).not.toContain('code='); // the code leaves the address bar once used
    expect(errors).toEqual([]);
    await shot('1-fleet');
  }, 60_000);

  it(`stays responsive with ${FLEET_SIZE} devices: input-to-paint measured and reported`, async () => {
    const devices = (await api('/sim/fleet/devices')).devices.length;
    const measured = await measureInputToPaint(page, devices, 'reports/dashboard-responsiveness.json');
    expect(measured.all).toHaveLength(14);
    expect(await text('shown-count')).toBe(`${devices} of ${devices}`);
  }, 60_000);

  it('issues a protected wipe through the UI; the power is cut mid-wipe, restored, and the device finishes', async () => {
    const devices = (
      await api(
        "/beta/deviceManagement/managedDevices?$filter=operatingSystem eq 'Windows' and startswith(osVersion,'10.0.19045')&$top=1",
      )
    ).value as { deviceName: string; id: string }[];
    const target = devices[0]!;
    await openDevice(target.deviceName);
    await page.getByRole('button', { name: 'Wipe…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByLabel('Wipe device, and continue to wipe even if device loses power', { exact: false })
      .check();
    await dialog.getByRole('button', { name: 'Wipe', exact: true }).click();
    await expect
      .poll(() => text('notice'))
      .toContain(`Wipe (protected against power loss) sent to ${target.deviceName}`);

    const reset = () => text('drawer-reset');
    await stepUntil(
      '+1 min',
      async () => (await reset()).startsWith('protected wipe in progress'),
      'the reset to start',
    );
    await page.getByRole('button', { name: 'Cut the power' }).click();
    await expect.poll(() => text('drawer-power')).toBe('off');
    await shot('2-power-cut-mid-wipe');
    await page.getByRole('button', { name: '+15 min', exact: true }).click();
    await page.getByRole('button', { name: 'Power on' }).click();
    await expect.poll(() => text('drawer-power')).toBe('on');
    await expect.poll(reset).toMatch(/^protected wipe in progress, attempt 2/);
    await stepUntil('+15 min', async () => (await text('drawer-state')) === 'removed', 'the wipe to finish');
    const log = await text('event-log');
    expect(log).toContain(`${target.deviceName}: protected reset resumed (attempt 2)`);
    expect(log).toMatch(new RegExp(`${target.deviceName}: reset completed \\[.*W-1`));
    expect(log).toContain(`${target.deviceName} record removed (wipe, W-1)`);
    await expect.poll(() => page.locator('.diff h3').innerText()).toMatch(/^Wipe: /);
    // The drawer reads the device again a moment after its last event: wait for that read.
    await expect
      .poll(() => page.getByTestId('diff').innerText())
      .toContain('enrollment changed: enrolled → not enrolled W-1');
    // Every change is labelled with the rule that made it (a full wipe's table is W-1's, row by row).
    const labels = await page.getByTestId('diff').locator('.rule').allInnerTexts();
    expect(labels.length).toBeGreaterThan(5);
    expect(new Set(labels)).toEqual(new Set(['W-1']));
    // The propagation timeline has the wipe's way to the device, stage by stage, and its completion.
    const stages = await page.getByTestId('propagation-timeline').locator('title').allTextContents();
    expect(stages.find((s) => s.startsWith(`${target.deviceName} wipe:`))).toMatch(
      /^\S+ wipe: requested \d\d:\d\d:\d\d, delivered after \S+, acknowledged after \S+, completed after \S+ \(done\)$/,
    );
    await shot('3-protected-wipe-finished');
  }, 90_000);

  it('shows the rule and reason of a refused action (W-3: no wipe for User Enrollment)', async () => {
    const ue = (
      await api(
        "/beta/deviceManagement/managedDevices?$filter=deviceEnrollmentType eq 'appleUserEnrollment'&$top=1",
      )
    ).value[0] as { deviceName: string };
    await openDevice(ue.deviceName);
    await page.getByRole('button', { name: 'Wipe…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Wipe', exact: true }).click();
    const notice = page.getByRole('alert');
    await expect.poll(() => notice.innerText()).toContain('Wipe refused — rule W-3');
    expect(await notice.innerText()).toContain(
      'Wipe is not available for iOS/iPadOS devices enrolled with User Enrollment.',
    );
    expect(await notice.innerText()).toContain('[wipeNotSupportedForUserEnrollment]');
    await shot('4-refused');
  }, 60_000);
  it('labels each change of a retire with the spec row that made it (iOS: R-1, R-IOS-4, R-IOS-5, …)', async () => {
    const phone = (
      await api(
        "/beta/deviceManagement/managedDevices?$filter=operatingSystem eq 'iOS' and deviceEnrollmentType eq 'appleBulkWithUser'&$top=1",
      )
    ).value[0] as { deviceName: string };
    await openDevice(phone.deviceName);
    await page.getByRole('button', { name: 'Retire…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Retire', exact: true }).click();
    await stepUntil(
      '+1 min',
      async () => (await text('drawer-state')) === 'retired' || (await text('drawer-state')) === 'removed',
      'the retire to finish',
    );
    await expect.poll(() => page.locator('.diff h3').innerText()).toMatch(/^Retire: done/);
    const labels = () => page.getByTestId('diff').locator('.rule').allInnerTexts();
    await expect.poll(async () => (await labels()).length).toBeGreaterThan(3);
    const rules = new Set((await labels()).flatMap((l) => l.split(', ')));
    // Retire's rows for iOS (section 2 of the spec) and R-1, the rule every retire shares.
    expect(
      [...rules].every((r) => /^R-(IOS-)?\d+$/.test(r)),
      [...rules].join(' '),
    ).toBe(true);
    expect([...rules]).toEqual(expect.arrayContaining(['R-1', 'R-IOS-4', 'R-IOS-5']));
    await shot('5-retire-rule-labels');
  }, 90_000);

  it('plays a scenario back: its expectations turn green as judged and the verdict is passed; a failing one turns red with what was found', async () => {
    await page.getByRole('button', { name: 'Scenarios', exact: true }).click();
    const panel = page.getByTestId('scenario-panel');
    const states = () =>
      panel
        .locator('[data-testid=scenario-timeline] li')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    const verdict = () => text('scenario-verdict');
    const run = async (file: string) => {
      await panel.getByLabel('Scenario', { exact: true }).selectOption(file);
      await panel.getByRole('button', { name: 'Run', exact: true }).click();
    };

    await run('passes.yaml');
    // Watched while it runs: a verdict already green while the run still goes on.
    await expect
      .poll(async () => `${(await verdict()).split(':')[0]} ${(await states()).join(' ')}`, {
        timeout: 30_000,
      })
      .toBe('Running done passed passed waiting');
    await expect.poll(verdict, { timeout: 30_000 }).toBe('Passed: all 2 expectations held');
    expect(await states()).toEqual(['done', 'passed', 'passed', 'passed']);
    expect(await panel.getByTestId('scenario-timeline').innerText()).toContain(
      'expected every device refuses with keepUserDataNotSupported; found 1 refused with keepUserDataNotSupported',
    );
    await shot('6-scenario-passed');

    await run('fails.yaml');
    await expect.poll(verdict, { timeout: 30_000 }).toBe('Failed: 1 of 2 expectations did not hold');
    expect(await states()).toEqual(['done', 'done', 'passed', 'failed']);
    const failed = panel.locator('[data-testid=scenario-timeline] li[data-state=failed]');
    expect(await failed.innerText()).toMatch(
      /retire acknowledged within 15m \(all devices\) R-4\s+expected acknowledged within 15m; found 1 of 2 as expected; \S+: not acknowledged/,
    );
    await shot('7-scenario-failed');
  }, 90_000);
});
