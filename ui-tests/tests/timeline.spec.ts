import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import {
  PANEL,
  openPanel,
  row,
  EXAMPLE,
  RECORDED_PAGE,
  openRecorded,
  recordedHistory
} from './helpers';

/**
 * The cluster-over-time chart (docs/timeline.md): against the live server (the
 * emulator's seed scenario, where livy-session-0 hogs the 9 executors and
 * livy-session-1 starves), and with a recorded hour for reference screenshots
 * in the light and dark themes.
 */

const CHART = `${PANEL} .jp-GlueSessions-timeline`;

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
    await expect(
      page.locator(`${CHART} .jp-GlueSessions-tl-capacity`)
    ).toBeAttached();
    // Click livy-session-0's band (it holds everything): its row is selected.
    const svg = page.locator(`${CHART} svg`);
    const box = (await svg.boundingBox())!;
    await page.mouse.click(box.x + box.width - 2, box.y + box.height * 0.6);
    await expect(row(page, 0)).toHaveClass(/is-selected/);
  });
});

/**
 * An hour at 5 s: alice (0) ramps up to all 9 executors and bob (1) starves
 * for a quarter of an hour until alice lets go; carol (2) holds a few early
 * on; a slow-polling gap of five minutes in the middle (the server's marker).
 */
function hour(): object {
  const { times, series } = recordedHistory(720, k => {
    const gap = k >= 300 && k < 360;
    if (gap) {
      // One poll marks the gap; nothing observed in the rest of it.
      return k > 300
        ? undefined
        : { '0': null, '1': null, '2': null, capacity: null };
    }
    const carol =
      k < 200 ? Math.min(4, Math.floor(k / 20)) : k < 240 ? 1 : null;
    const alice =
      k < 120 ? 2 : k < 560 ? Math.min(9, 2 + Math.floor((k - 120) / 15)) : 3;
    return {
      '0': Math.min(alice, 9 - (carol ?? 0)),
      '1': k < 380 ? null : k < 560 ? 0 : Math.min(6, (k - 560) / 4) | 0,
      '2': carol,
      capacity: 9
    };
  });
  const { capacity, ...sessions } = series;
  // bob is short of his fair share from his start to alice's release.
  const end = times[times.length - 1];
  const start = times.findIndex(t => t >= end - (719 - 390) * 5);
  const stop = times.findIndex(t => t >= end - (719 - 560) * 5);
  return {
    poll_interval: 5,
    times,
    series: sessions,
    capacity,
    starving: { '1': [[start, stop]] }
  };
}

test.describe('recorded hour (screenshots)', () => {
  test.use(RECORDED_PAGE);

  for (const theme of ['light', 'dark']) {
    test(`chart with a starving period, ${theme} theme`, async ({ page }) => {
      await openRecorded(page, { snapshot: EXAMPLE, history: hour(), theme });
      await expand(page);
      const chart = page.locator(CHART);
      await expect(chart.locator('path.jp-GlueSessions-tl-layer')).toHaveCount(
        3
      );
      await expect(
        chart.locator('rect.jp-GlueSessions-tl-starving')
      ).toHaveCount(1);
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
      await expect(
        chart.locator('.jp-GlueSessions-tl-readoutHead')
      ).toContainText('10:00:05');
    });
  }
});
