import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The cluster-over-time chart (issue 15): against the live server (the
 * emulator's seed scenario, where livy-session-0 hogs the 9 executors and
 * livy-session-1 starves), and with a recorded hour for reference screenshots
 * in the light and dark themes.
 */

const PANEL = '#glue-sessions-panel';
const CHART = `${PANEL} .jp-GlueSessions-timeline`;

async function openPanel(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('glue-sessions:open', {});
  });
  await expect(page.locator(PANEL)).toBeVisible();
}

async function expand(page: IJupyterLabPageFixture): Promise<void> {
  const toggle = page.locator(`${CHART} .jp-GlueSessions-tl-toggle`);
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') {
    await toggle.click();
  }
  await expect(page.locator(`${CHART} svg`)).toBeVisible();
}

test.describe('live endpoint', () => {
  test('the server marks the starving and the chart shows it', async ({
    page
  }) => {
    await openPanel(page);
    await expand(page);
    // Starving after starvation_seconds (2 s); the panel asks the history every 30 s at most,
    // so read it here as the panel would, then check the chart after a reload.
    await expect
      .poll(
        async () => {
          const h = await page.evaluate(async () => {
            const r = await fetch('/glue-sessions/api/history');
            return r.json();
          });
          return Object.keys(h.starving ?? {});
        },
        { timeout: 30000 }
      )
      .toContain('1');
    await page.reload();
    await openPanel(page);
    await expand(page);
    await expect(
      page.locator(`${CHART} rect.jp-GlueSessions-tl-starving`).first()
    ).toBeAttached();
    await expect(page.locator(`${CHART} .jp-GlueSessions-tl-capacity`)).toBeAttached();
    // Click livy-session-0's band (it holds everything): its row is selected.
    const svg = page.locator(`${CHART} svg`);
    const box = (await svg.boundingBox())!;
    await page.mouse.click(box.x + box.width - 2, box.y + box.height * 0.6);
    await expect(
      page.locator(`${PANEL} .jp-GlueSessions-row[data-session-id="0"]`)
    ).toHaveClass(/is-selected/);
  });
});

const ROOT = path.resolve(__dirname, '..', '..');
const SEED = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'docs', 'snapshot-example.json'), 'utf-8')
);
const NOW = new Date('2026-11-24T10:00:07Z');

/**
 * An hour at 5 s: alice (0) ramps up to all 9 executors and bob (1) starves
 * for a quarter of an hour until alice lets go; carol (2) holds a few early
 * on; a slow-polling gap of five minutes in the middle (the server's marker).
 */
function hour(): object {
  const end = NOW.getTime() / 1000 - 2;
  const times: number[] = [];
  const s0: (number | null)[] = [];
  const s1: (number | null)[] = [];
  const s2: (number | null)[] = [];
  const capacity: (number | null)[] = [];
  for (let k = 0; k < 720; k++) {
    const t = end - (719 - k) * 5;
    const gap = k >= 300 && k < 360;
    if (gap && k > 300) {
      continue; // nothing observed
    }
    times.push(t);
    if (gap) {
      s0.push(null);
      s1.push(null);
      s2.push(null);
      capacity.push(null);
      continue;
    }
    s2.push(k < 200 ? Math.min(4, Math.floor(k / 20)) : k < 240 ? 1 : null);
    const alice =
      k < 120 ? 2 : k < 560 ? Math.min(9, 2 + Math.floor((k - 120) / 15)) : 3;
    s0.push(Math.min(alice, 9 - (s2[s2.length - 1] ?? 0)));
    s1.push(k < 380 ? null : k < 560 ? 0 : Math.min(6, (k - 560) / 4) | 0);
    capacity.push(9);
  }
  // bob is short of his fair share from his start to alice's release.
  const start = times.findIndex(t => t >= end - (719 - 390) * 5);
  const stop = times.findIndex(t => t >= end - (719 - 560) * 5);
  return {
    poll_interval: 5,
    times,
    series: { '0': s0, '1': s1, '2': s2 },
    capacity,
    starving: { '1': [[start, stop]] }
  };
}

test.describe('recorded hour (screenshots)', () => {
  test.use({
    autoGoto: false,
    timezoneId: 'UTC',
    viewport: { width: 1200, height: 1700 }
  });

  for (const theme of ['light', 'dark']) {
    test(`chart with a starving period, ${theme} theme`, async ({ page }) => {
      await page.clock.setFixedTime(NOW);
      await page.route(/\/glue-sessions\/api\/snapshot/, route =>
        route.fulfill({ json: SEED, headers: { ETag: '"fixed"' } })
      );
      await page.route(/\/glue-sessions\/api\/history/, route =>
        route.fulfill({ json: hour() })
      );
      await page.goto();
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      await openPanel(page);
      await expand(page);
      const chart = page.locator(CHART);
      await expect(chart.locator('path.jp-GlueSessions-tl-layer')).toHaveCount(3);
      await expect(chart.locator('rect.jp-GlueSessions-tl-starving')).toHaveCount(1);
      // Read a moment inside the starving period.
      const svg = chart.locator('svg');
      const box = (await svg.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.7, box.y + 10);
      await expect(chart.locator('.jp-GlueSessions-tl-readout')).toContainText(
        'Starving: livy-session-1 (bob)'
      );
      expect(await chart.screenshot()).toMatchSnapshot(`timeline-${theme}.png`);
      // The keyboard reads moments too.
      await svg.focus();
      await page.keyboard.press('End');
      await expect(chart.locator('.jp-GlueSessions-tl-readoutHead')).toContainText(
        '10:00:05'
      );
    });
  }
});
