import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardCode } from '../../broker/http/dashboard-session.ts';
import { demoFleet } from '../../cli/demo/demo-fleet.ts';
import type { Serving } from '../../cli/serve.ts';
import { serveOnFreePorts } from '../helpers/serving.ts';

/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core (no browser
 * download). On the virtual clock, so the test moves time itself through the page's step buttons.
 */

function findChromium(): string | null {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
const CHROMIUM = findChromium();
const SHOTS = 'reports/screenshots';
const FLEET_SIZE = 2000;

if (!CHROMIUM)
  console.warn('test/e2e/dashboard.test.ts skipped: chromium is not installed (apt-get install -y chromium)');

describe.skipIf(!CHROMIUM)('the dashboard in chromium', () => {
  let serving: Serving;
  let browser: Browser;
  let page: Page;
  const api = async (path: string): Promise<any> =>
    (
      await fetch(`${serving.httpUrl}${path}`, { headers: { authorization: `Bearer ${serving.token}` } })
    ).json();
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
    mkdirSync(SHOTS, { recursive: true });
    serving = await serveOnFreePorts({
      seed: 'e2e',
      fleet: { cohorts: demoFleet(FLEET_SIZE) },
      // A small scenario library with one scenario that passes and one that fails.
      scenarioDir: 'test/fixtures/playback',
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serving?.stop();
  });

  it('signs in with the one-time code from the URL fragment and shows the whole fleet live', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${serving.httpUrl}/dashboard/#code=${dashboardCode(serving.token)}`);
    await expect.poll(() => text('live'), { timeout: 15_000 }).toBe('● live');
    const total = (await api('/sim/fleet/devices')).devices.length;
    await expect.poll(() => text('shown-count'), { timeout: 15_000 }).toBe(`${total} of ${total}`);
    expect(total).toBeGreaterThanOrEqual(FLEET_SIZE - 20);
    expect(page.url()).not.toContain('code='); // the code leaves the address bar once used
    expect(errors).toEqual([]);
    await shot('1-fleet');
  }, 60_000);

  it(`stays responsive with ${FLEET_SIZE} devices: input-to-paint measured and reported`, async () => {
    // In the page (a string: the test compiles without the DOM's types). From the input event's
    // timestamp to just after the next frame is painted.
    await page.evaluate(`
      window.inputToPaint = [];
      document.addEventListener('input', (e) =>
        requestAnimationFrame(() => setTimeout(() => window.inputToPaint.push(performance.now() - e.timeStamp))), true);
    `);
    const search = page.getByTestId('search');
    await search.click();
    await page.keyboard.type('DESKTOP', { delay: 50 });
    for (let i = 0; i < 7; i++) await page.keyboard.press('Backspace', { delay: 50 });
    await expect.poll(() => page.evaluate('window.inputToPaint.length')).toBe(14);
    const samples = (await page.evaluate('window.inputToPaint')) as number[];
    const sorted = [...samples].sort((a, b) => a - b);
    const report = {
      devices: (await api('/sim/fleet/devices')).devices.length,
      keystrokes: samples.length,
      inputToPaintMs: {
        median: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(1)),
        max: Number(sorted.at(-1)!.toFixed(1)),
        all: samples.map((s) => Number(s.toFixed(1))),
      },
    };
    writeFileSync('reports/dashboard-responsiveness.json', `${JSON.stringify(report, null, 2)}\n`);
    console.log(`dashboard input-to-paint with ${report.devices} devices:`, report.inputToPaintMs);
    expect(await text('shown-count')).toBe(`${report.devices} of ${report.devices}`);
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
