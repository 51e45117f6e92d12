import { expect, test } from '@jupyterlab/galata';
import {
  fixture,
  PANEL,
  row,
  RECORDED_PAGE,
  openRecorded,
  recordedHistory
} from './helpers';

/**
 * The panel fed by recorded answers of the server at a fixed clock, for
 * reference screenshots in the light and dark themes of:
 * - a session that cannot start: what the server's analysis makes of the
 *   real YARN and Livy answers of devstack/samples/yarn/cannot_start_*
 *   (livy-session-0 runs on every vcore, livy-session-1 of this server's
 *   etl.ipynb stays ACCEPTED with no AM container);
 * - an orphaned session, with a notebook that starves and an application
 *   outside Livy (tests/data/snapshot-orphaned-observations.json).
 * scripts/snapshot_example.py writes both fixtures from those recordings;
 * tests/test_snapshot_contract.py checks that they stay what it writes.
 */
const CANNOT_START = fixture('snapshot-cannot-start.json');
const ORPHANED = fixture('snapshot-orphaned.json');

/** From 09:57 at 5 s: livy-session-0 holds 5; livy-session-1 from 09:58, with none. */
const CANNOT_START_HISTORY = recordedHistory(38, k => ({
  '0': 5,
  '1': k < 12 ? null : 0
}));

/** From 09:48 at 5 s: livy-session-4 holds 1; livy-session-5 from 09:57:30, with none. */
const ORPHANED_HISTORY = recordedHistory(146, k => ({
  '4': 1,
  '5': k < 116 ? null : 0
}));

test.describe('sessions that cannot start and orphans (recorded answers)', () => {
  test.use(RECORDED_PAGE);

  for (const theme of ['light', 'dark']) {
    test(`a session that cannot start, ${theme} theme`, async ({ page }) => {
      await openRecorded(page, {
        snapshot: CANNOT_START,
        history: CANNOT_START_HISTORY,
        theme
      });
      const panel = page.locator(PANEL);
      await expect(panel.locator('.jp-GlueSessions-row')).toHaveCount(2);
      const blocked = row(page, 1);
      await expect(blocked.locator('.jp-GlueSessions-badge')).toHaveText(
        'starving'
      );
      await expect(blocked).toHaveClass(/is-cannotStart/);
      await expect(
        blocked.locator('.jp-GlueSessions-cannotStartTag')
      ).toHaveText('cannot start');
      // Livy's own state stays visible.
      await expect(blocked.locator('.jp-GlueSessions-row-meta')).toContainText(
        'starting'
      );
      await expect(
        blocked.locator('.jp-GlueSessions-row-cannotStartNote')
      ).toContainText(
        'Livy says starting; its driver asks YARN for 1 core · 1 GiB in queue default.'
      );
      await expect(
        blocked.locator('.jp-GlueSessions-diagnostics summary')
      ).toHaveText(
        'YARN: Application is Activated, waiting for resources to be assigned for AM.'
      );
      await expect(
        blocked.locator('.jp-GlueSessions-row-relations')
      ).toHaveText(
        'livy-session-1 cannot start: no room for its driver, for 2 min: livy-session-0 holds 5 of 5'
      );
      await expect(panel.locator('.jp-GlueSessions-sentence')).toHaveText(
        'livy-session-1 (etl.ipynb) cannot start: no room for its driver, for 2 min: livy-session-0 holds 5 of 5'
      );
      await page.mouse.move(0, 0);
      expect(await panel.screenshot()).toMatchSnapshot(
        `panel-cannot-start-${theme}.png`
      );

      // YARN's whole words, one click away.
      await blocked.locator('.jp-GlueSessions-diagnostics summary').click();
      await expect(
        blocked.locator('.jp-GlueSessions-diagnostics-text')
      ).toContainText("Queue's used capacity (absolute resource)");
    });

    test(`an orphaned session, ${theme} theme`, async ({ page }) => {
      await openRecorded(page, {
        snapshot: ORPHANED,
        history: ORPHANED_HISTORY,
        theme
      });
      const panel = page.locator(PANEL);
      await expect(panel.locator('.jp-GlueSessions-row')).toHaveCount(2);
      const orphan = row(page, 4);
      await expect(orphan.locator('.jp-GlueSessions-badge')).toHaveText(
        'orphaned'
      );
      await expect(orphan).toContainText('forecast');
      await expect(
        orphan.getByRole('button', { name: 'from forecast.ipynb' })
      ).toBeVisible();
      await expect(orphan.locator('.jp-GlueSessions-row-relations')).toHaveText(
        'Orphaned for 12 min, holding 1 executor and its driver, starving livy-session-5'
      );
      await expect(orphan.locator('.jp-GlueSessions-row-idleNote')).toHaveText(
        'idle 12 min · Livy ends it in 47 min (at 10:48)'
      );
      await expect(
        orphan.getByRole('button', { name: 'Stop session' })
      ).toBeVisible();
      await expect(
        row(page, 5).locator('.jp-GlueSessions-row-relations')
      ).toHaveText(
        'Starving for 2 min, starved by livy-session-4 and application_1796520293603_0003 (nightly etl, user etl) outside Livy'
      );
      const outside = panel.locator('.jp-GlueSessions-outsideApp');
      await expect(outside).toHaveCount(1);
      await expect(outside).toContainText('nightly etl');
      await expect(
        outside.getByRole('link', { name: 'YARN page' })
      ).toHaveAttribute(
        'href',
        'http://localhost:8088/cluster/app/application_1796520293603_0003'
      );
      await expect(outside.getByRole('button')).toHaveCount(0);
      await expect(panel.locator('.jp-GlueSessions-cluster')).toContainText(
        '5 of 5 executors in use, 4 outside Livy'
      );
      await page.mouse.move(0, 0);
      expect(await panel.screenshot()).toMatchSnapshot(
        `panel-orphaned-${theme}.png`
      );

      // Stopped like the user's own sessions, with words that fit.
      await orphan.getByRole('button', { name: 'Stop session' }).click();
      const dialog = page.locator('.jp-Dialog');
      await expect(dialog).toContainText(
        'Stop livy-session-4 (from forecast.ipynb)? Nobody uses it'
      );
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    });
  }
});
