import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import {
  PANEL,
  openPanel,
  row,
  refresh,
  EXAMPLE,
  RECORDED_PAGE,
  openRecorded,
  recordedHistory
} from './helpers';

/**
 * The panel against the real server extension, which polls the endpoint
 * emulator (recorded real Livy/YARN/Spark responses) running the seed
 * scenario: livy-session-0 (alice) hogs 9 of 9 executors, livy-session-1 (bob)
 * starves with 40 pending tasks, livy-session-2 (carol) is idle.
 */

test.describe('live endpoint (emulator, seed scenario)', () => {
  test('opens from the command palette', async ({ page }) => {
    await page.keyboard.press('Control+Shift+C');
    const palette = page.locator('#command-palette');
    await expect(palette).toBeVisible();
    await palette.locator('input').fill('Show Spark executor sharing');
    await palette
      .locator('.lm-CommandPalette-item', {
        hasText: 'Show Spark executor sharing'
      })
      .first()
      .click();
    await expect(page.locator(PANEL)).toBeVisible();
    await expect(page.locator(`${PANEL} .jp-GlueSessions-title`)).toHaveText(
      'Spark executor sharing'
    );
  });

  test('shows rows, badges, the starvation sentence and advice', async ({
    page
  }) => {
    await openPanel(page);
    const panel = page.locator(PANEL);

    await expect(panel.locator('.jp-GlueSessions-endpoint')).toContainText(
      'Reachable'
    );
    await expect(panel.locator('.jp-GlueSessions-cluster')).toContainText(
      '9 of 9 executors in use'
    );
    // Capacity as YARN counts it: each session's driver (its AM container) holds a vcore.
    await expect(panel.locator('.jp-GlueSessions-cluster')).toContainText(
      'capacity from yarn'
    );
    await expect(panel.locator('.jp-GlueSessions-cluster')).toContainText(
      '3 drivers hold 3 cores · 3 GiB'
    );

    // Starving only after starvation_seconds (2 s in the test config).
    await expect(row(page, 1).locator('.jp-GlueSessions-badge')).toHaveText(
      'starving',
      { timeout: 30000 }
    );
    await expect(row(page, 0).locator('.jp-GlueSessions-badge')).toHaveText(
      'hogging'
    );
    await expect(row(page, 2).locator('.jp-GlueSessions-badge')).toHaveText(
      'idle'
    );
    // Most urgent first.
    await expect(panel.locator('.jp-GlueSessions-row')).toHaveCount(3);
    expect(
      await panel
        .locator('.jp-GlueSessions-row')
        .evaluateAll(rows => rows.map(r => r.getAttribute('data-session-id')))
    ).toEqual(['1', '0', '2']);

    await expect(row(page, 0)).toContainText('alice');
    await expect(row(page, 0)).toContainText('9 / fair 4.5');
    await expect(row(page, 0)).toContainText('100% of cluster');
    await expect(row(page, 0)).toContainText('72 running, 428 pending tasks');
    await expect(row(page, 1)).toContainText('0 / fair 4.5 / need 5');
    await expect(row(page, 1)).toContainText('starved by livy-session-0');
    await expect(
      row(page, 0).getByRole('link', { name: 'Spark UI' })
    ).toHaveAttribute(
      'href',
      /^http:\/\/127\.0\.0\.1:\d+\/proxy\/application_\d+_0001\/$/
    );

    await expect(panel.locator('.jp-GlueSessions-sentence').first()).toHaveText(
      /^livy-session-1 \(bob\) has waited \d+ (s|min) with 0 of its fair 4\.5 executors: livy-session-0 \(alice\) holds 9 of 9$/
    );

    const advice = panel.locator('.jp-GlueSessions-advice').first();
    await expect(advice).toContainText('livy-session-0');
    await expect(advice.locator('pre')).toHaveText(
      /^%%configure -f\n\{"conf": \{"spark\.dynamicAllocation\.maxExecutors": "\d+"\}\}$/
    );
    await expect(
      advice.getByRole('button', { name: 'Copy cell' })
    ).toBeVisible();
  });

  test('hovering a session highlights who starves it and whom it starves', async ({
    page
  }) => {
    await openPanel(page);
    await expect(row(page, 1).locator('.jp-GlueSessions-badge')).toHaveText(
      'starving',
      { timeout: 30000 }
    );
    await row(page, 1).hover();
    await expect(row(page, 0)).toHaveClass(/is-culprit/);
    await expect(row(page, 0)).toContainText('starves it');
    await expect(row(page, 2)).toHaveClass(/is-unrelated/);

    await row(page, 0).hover();
    await expect(row(page, 1)).toHaveClass(/is-victim/);
    await expect(row(page, 1)).toContainText('starved by it');
  });

  test('opens focused on one session, and rows work with the keyboard', async ({
    page
  }) => {
    await openPanel(page, 0);
    await expect(row(page, 0)).toBeFocused();
    await expect(row(page, 0)).toHaveClass(/is-selected/);
    await page.keyboard.press('ArrowUp');
    await expect(row(page, 1)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(row(page, 1)).toHaveAttribute('aria-current', 'true');
  });

  test('asks with If-None-Match and gets 304 while nothing changes', async ({
    page
  }) => {
    const statuses: number[] = [];
    const conditional: boolean[] = [];
    page.on('response', response => {
      if (response.url().includes('/glue-sessions/api/snapshot')) {
        statuses.push(response.status());
        conditional.push(!!response.request().headers()['if-none-match']);
      }
    });
    await openPanel(page);
    await refresh(page);
    await expect
      .poll(() => statuses.filter(s => s === 304).length, { timeout: 30000 })
      .toBeGreaterThan(0);
    expect(statuses[0]).toBe(200);
    expect(conditional.slice(1).every(c => c)).toBe(true);
  });

  test('the copy button copies the %%configure cell', async ({
    page,
    context
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openPanel(page);
    const advice = page.locator(`${PANEL} .jp-GlueSessions-advice`).first();
    await advice.getByRole('button', { name: 'Copy cell' }).click();
    await expect(advice.getByRole('button', { name: 'Copied' })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('spark.dynamicAllocation.maxExecutors');
  });
});

/**
 * The panel fed by recorded answers of the server (docs/snapshot-example.json,
 * the contract's example, and an endpoint-down answer) at a fixed clock, for
 * reference screenshots of the panel in the light and dark themes.
 */
const DOWN = JSON.parse(
  fs.readFileSync(
    path.resolve(__dirname, 'fixtures', 'snapshot-endpoint-down.json'),
    'utf-8'
  )
);

/** Ten minutes at 5 s: alice ramps up to 9 executors, bob never gets one. */
const HISTORY = recordedHistory(120, k => ({
  '0': k < 20 ? null : Math.min(9, Math.floor((k - 20) / 4)),
  '1': k < 60 ? null : 0
}));

test.describe('recorded answers (screenshots)', () => {
  test.use(RECORDED_PAGE);

  for (const theme of ['light', 'dark']) {
    test(`seed scenario, ${theme} theme`, async ({ page }) => {
      await openRecorded(page, { snapshot: EXAMPLE, history: HISTORY, theme });
      const panel = page.locator(PANEL);
      await expect(panel.locator('.jp-GlueSessions-row')).toHaveCount(2);
      await expect(panel.locator('.jp-GlueSessions-sentence')).toHaveText(
        'livy-session-1 (bob, etl.ipynb) has waited 3 min with 0 of its fair 4.5 executors: livy-session-0 (alice) holds 9 of 9'
      );
      await expect(row(page, 1)).toHaveClass(/is-own/);
      await expect(
        row(page, 1).getByRole('button', { name: 'etl.ipynb' })
      ).toBeVisible();
      await expect(
        panel.locator('.jp-GlueSessions-sparkline polyline')
      ).toHaveCount(2);
      await page.mouse.move(0, 0);
      expect(await panel.screenshot()).toMatchSnapshot(
        `panel-seed-${theme}.png`
      );
    });

    if (theme === 'light') {
      test('seed scenario in a wide sidebar', async ({ page }) => {
        await openRecorded(page, { snapshot: EXAMPLE, history: HISTORY });
        await page.sidebar.setWidth(420, 'right');
        const panel = page.locator(PANEL);
        await expect(panel.locator('.jp-GlueSessions-row')).toHaveCount(2);
        await page.mouse.move(0, 0);
        expect(await panel.screenshot()).toMatchSnapshot(
          'panel-seed-wide-light.png'
        );
      });
    }

    test(`endpoint down, ${theme} theme`, async ({ page }) => {
      await openRecorded(page, { snapshot: DOWN, history: HISTORY, theme });
      const panel = page.locator(PANEL);
      await expect(panel.locator('.jp-GlueSessions-endpoint')).toContainText(
        'Unreachable'
      );
      await expect(panel).toContainText('The Livy endpoint does not answer');
      await expect(panel).toContainText('c.GlueSessions.livy_url');
      await page.mouse.move(0, 0);
      expect(await panel.screenshot()).toMatchSnapshot(
        `panel-down-${theme}.png`
      );
    });
  }
});

test.describe('server extension missing', () => {
  test('says what to do', async ({ page }) => {
    await page.route(/\/glue-sessions\/api\//, route =>
      route.fulfill({ status: 404, json: { code: 404, message: 'Not Found' } })
    );
    await openPanel(page);
    await expect(page.locator(PANEL)).toContainText(
      'The glue-sessions server extension is not enabled',
      { timeout: 20000 }
    );
  });
});
