import { expect, galata, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { APIRequestContext, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

/**
 * What the specs share: the panel (open it, its rows, refresh), the server's
 * snapshot, and recorded answers at a fixed clock. The endpoint emulator's
 * control API is in emulator.ts, a notebook mapped to a Livy session in
 * notebooks.ts.
 *
 * The live specs run against the real server extension polling the endpoint
 * emulator (emulator/ at the repository's root, started by playwright.config.js)
 * in the seed scenario: livy-session-0 (alice) hogs 9 of 9 executors,
 * livy-session-1 (bob) starves with 40 pending tasks, livy-session-2 (carol)
 * is idle.
 */

export const ROOT = path.resolve(__dirname, '..', '..');
export const EMULATOR = `http://127.0.0.1:${
  process.env.GLUE_SESSIONS_EMULATOR_PORT || '18998'
}`;
export const PANEL = '#glue-sessions-panel';
export const HINT = '.jp-NotebookPanel-toolbar .jp-GlueSessions-hint';
export const HINT_BUTTON = `${HINT} .jp-GlueSessions-hint-button`;

// -- the panel ----------------------------------------------------------------

/** Opens the panel (focused on one session if given) and waits until it shows. */
export async function openPanel(
  page: IJupyterLabPageFixture,
  sessionId?: number
): Promise<void> {
  await page.evaluate(async id => {
    await window.jupyterapp.commands.execute(
      'glue-sessions:open',
      id === null ? {} : { sessionId: id }
    );
  }, sessionId ?? null);
  await expect(page.locator(PANEL)).toBeVisible();
}

/** The panel's row of livy-session-`id`. */
export function row(page: IJupyterLabPageFixture, id: number) {
  return page.locator(`${PANEL} .jp-GlueSessions-row[data-session-id="${id}"]`);
}

/** Asks the server for a snapshot now, as the panel's refresh button does. */
export async function refresh(page: Page | IJupyterLabPageFixture) {
  await page.evaluate(() =>
    window.jupyterapp.commands.execute('glue-sessions:refresh')
  );
}

/** Galata's settings with these settings of the panel (glue-sessions:panel). */
export function panelSettings(settings: { [key: string]: unknown }) {
  return { ...galata.DEFAULT_SETTINGS, 'glue-sessions:panel': settings };
}

/** Live tests: the shared model polls every second (the panel's setting; default 5 s). */
export const EVERY_SECOND = panelSettings({ refreshInterval: 1 });

// -- the server's snapshot ----------------------------------------------------

export async function snapshot(request: APIRequestContext): Promise<any> {
  const response = await request.get('/glue-sessions/api/snapshot');
  return response.ok() ? await response.json() : null;
}

export function session(snap: any, id: number): any {
  return (snap?.sessions ?? []).find((s: any) => s.id === id) ?? null;
}

// -- recorded answers at a fixed clock (reference screenshots) ----------------

/** The contract's example answer (docs/snapshot-example.json). */
export const EXAMPLE = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'docs', 'snapshot-example.json'), 'utf-8')
);

/**
 * A recorded answer of tests/fixtures/ (those named in
 * scripts/snapshot_example.py are what the server's analysis makes of
 * recorded observations).
 */
export function fixture(name: string): any {
  return JSON.parse(
    fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf-8')
  );
}
export const NOW = new Date('2026-11-24T10:00:07Z');

/**
 * A history answer of `count` polls at 5 s, the last 2 s before NOW: `poll(k)`
 * gives the k-th poll's value of each series (undefined: nothing was observed).
 */
export function recordedHistory(
  count: number,
  poll: (k: number) => { [series: string]: number | null } | undefined
): { poll_interval: number; times: number[]; series: any } {
  const end = NOW.getTime() / 1000 - 2;
  const times: number[] = [];
  const series: { [id: string]: (number | null)[] } = {};
  for (let k = 0; k < count; k++) {
    const values = poll(k);
    if (values) {
      times.push(end - (count - 1 - k) * 5);
      for (const [id, value] of Object.entries(values)) {
        (series[id] ??= []).push(value);
      }
    }
  }
  return { poll_interval: 5, times, series };
}

/** The page of tests with recorded answers: UTC, no JupyterLab before openRecorded. */
export const RECORDED_PAGE = {
  autoGoto: false,
  timezoneId: 'UTC',
  viewport: { width: 1200, height: 1700 }
};

/**
 * The page's server answers the endpoints API as a server from before several
 * endpoints (404): the panel shows one endpoint, whatever Livy URLs the real
 * server's kernel records name. For pages fed one endpoint's recorded answers.
 */
export async function oneEndpoint(
  page: Page | IJupyterLabPageFixture
): Promise<void> {
  await page.route(/\/glue-sessions\/api\/endpoints/, route =>
    route.fulfill({ status: 404, json: { code: 404, message: 'Not Found' } })
  );
}

/**
 * JupyterLab at NOW whose server answers these recorded snapshot and history
 * (an unchanged snapshot), in the light or dark theme, with the panel open.
 * For tests that use RECORDED_PAGE (`autoGoto: false`).
 */
export async function openRecorded(
  page: IJupyterLabPageFixture,
  recorded: { snapshot: object; history: object; theme?: string }
): Promise<void> {
  await page.clock.setFixedTime(NOW);
  await oneEndpoint(page);
  await page.route(/\/glue-sessions\/api\/snapshot/, route =>
    route.fulfill({ json: recorded.snapshot, headers: { ETag: '"fixed"' } })
  );
  await page.route(/\/glue-sessions\/api\/history/, route =>
    route.fulfill({ json: recorded.history })
  );
  await page.goto();
  if (recorded.theme === 'dark') {
    await page.theme.setDarkTheme();
  }
  await openPanel(page);
}
