import { expect, test } from '@jupyterlab/galata';
import { Route } from '@playwright/test';
import { emulate, livyIds, load, restoreSeed } from './emulator';
import {
  EVERY_SECOND,
  openPanel,
  PANEL,
  panelSettings,
  row,
  session,
  snapshot
} from './helpers';
import { notebookOwning } from './notebooks';

/**
 * Security of the panel, against the real server extension polling
 * the endpoint emulator (seed scenario):
 *
 * - stopping a session: offered only on the row of this server's notebook
 *   (c.GlueSessions.allow_stop_sessions is on in jupyter_server_test_config.py),
 *   confirmed, refused errors shown, the session gone from the endpoint;
 * - names and owners from Livy that look like HTML or script are shown as
 *   text, and links are only http(s).
 *
 * Every test puts the emulator back to the seed scenario (which the other
 * specs expect) and shuts its kernels down (which unmaps the notebook).
 */

const DIALOG = '.jp-Dialog';
const QUESTION =
  "Stop livy-session-1 (etl.ipynb)? Its Spark application and cached data go away; the notebook's next cell starts a new session.";

/** The session the injection test adds (not in the seed). */
const INJECTED = 7;
const IMG = '<img src=x onerror="window.__pwned=1">livy';
const SCRIPT = '<script>window.__pwned=2</script>';

test.use({
  mockSettings: EVERY_SECOND,
  viewport: { width: 1440, height: 900 }
});

test.describe('security (emulator)', () => {
  test.afterEach(({ page, request }) => restoreSeed(page, request));

  test('stop session: only on the own notebook row, confirmed', async ({
    page,
    request,
    tmpPath
  }, info) => {
    test.setTimeout(120000);
    const snap = await snapshot(request);
    expect(snap.actions).toEqual({ stop_own_sessions: true });

    // No notebook of this server drives a session: nothing to stop.
    await openPanel(page);
    const panel = page.locator(PANEL);
    await expect(panel.locator('.jp-GlueSessions-row')).toHaveCount(3);
    const stops = panel.getByRole('button', { name: 'Stop session' });
    await expect(stops).toHaveCount(0);

    // etl.ipynb's kernel created livy-session-1.
    await notebookOwning(page, request, tmpPath, 1);
    await openPanel(page, 1);
    await expect(row(page, 1)).toContainText('etl.ipynb', { timeout: 20000 });
    await expect(stops).toHaveCount(1);
    await expect(
      row(page, 1).getByRole('button', { name: 'Stop session' })
    ).toBeVisible();
    for (const other of [0, 2]) {
      await expect(
        row(page, other).getByRole('button', { name: 'Stop session' })
      ).toHaveCount(0);
    }

    // Pictures for the report (not compared: the row's times change).
    await page.mouse.move(0, 0);
    await info.attach('stop-row', {
      body: await row(page, 1).screenshot(),
      contentType: 'image/png'
    });

    // Cancel keeps the session.
    const stop = row(page, 1).getByRole('button', { name: 'Stop session' });
    await stop.click();
    const dialog = page.locator(DIALOG);
    await expect(dialog).toBeVisible();
    await info.attach('stop-dialog', {
      body: await dialog.locator('.jp-Dialog-content').screenshot(),
      contentType: 'image/png'
    });
    await expect(dialog.locator('.jp-Dialog-header')).toContainText(
      'Stop Spark session'
    );
    await expect(dialog.locator('.jp-Dialog-body')).toHaveText(QUESTION);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toHaveCount(0);
    await page.waitForTimeout(1500);
    expect(await livyIds(request)).toContain(1);
    await expect(row(page, 1)).toBeVisible();

    // A refusal is shown with the server's code and message; the session stays.
    const stopUrl = /\/glue-sessions\/api\/sessions\/1(\?|$)/;
    let refusing = true;
    const refuse = (route: Route) =>
      refusing && route.request().method() === 'DELETE'
        ? route.fulfill({
            status: 502,
            json: { code: 502, message: 'Livy refused: 500 emulated' }
          })
        : route.fallback();
    await page.route(stopUrl, refuse);
    await stop.click();
    await dialog.getByRole('button', { name: 'Stop session' }).click();
    const refused = page.locator('.Toastify__toast', {
      hasText: 'Could not stop livy-session-1'
    });
    await expect(refused).toContainText(
      'Could not stop livy-session-1: 502: Livy refused: 500 emulated'
    );
    expect(await livyIds(request)).toContain(1);
    refusing = false;

    // Confirm stops it: a DELETE with the XSRF header (the test server does
    // not check it, a real one does), the endpoint no longer lists it, the row goes.
    const deleted = page.waitForRequest(
      r => r.method() === 'DELETE' && stopUrl.test(r.url())
    );
    await stop.click();
    await expect(dialog.locator('.jp-Dialog-body')).toHaveText(QUESTION);
    await dialog.getByRole('button', { name: 'Stop session' }).click();
    const sent = await deleted;
    const xsrf = (await page.context().cookies()).find(c => c.name === '_xsrf');
    expect(xsrf?.value).toBeTruthy();
    expect(sent.headers()['x-xsrftoken']).toBe(xsrf!.value);
    await expect
      .poll(() => livyIds(request), { timeout: 10000 })
      .not.toContain(1);
    await expect(row(page, 1)).toHaveCount(0, { timeout: 10000 });
    await expect(
      page.locator('.Toastify__toast', { hasText: 'Stopped livy-session-1.' })
    ).toBeVisible();
    await expect(stops).toHaveCount(0);
  });

  test.describe('untrusted text', () => {
    test.use({
      // No sparklines: the row's picture does not change with each poll.
      mockSettings: panelSettings({ refreshInterval: 1, showSparklines: false })
    });

    test('names and owners from Livy are shown as text', async ({
      page,
      request
    }) => {
      test.setTimeout(120000);
      const panel = page.locator(PANEL);
      const pwned = () => page.evaluate(() => (window as any).__pwned);
      const noMarkup = async () => {
        await expect(panel.locator('img')).toHaveCount(0);
        await expect(panel.locator('script')).toHaveCount(0);
        await expect(panel.locator('[onerror]')).toHaveCount(0);
        const hrefs = await panel
          .locator('a')
          .evaluateAll(links => links.map(a => a.getAttribute('href')));
        expect(hrefs.length).toBeGreaterThan(0);
        for (const href of hrefs) {
          expect(href).toMatch(/^https?:\/\//);
        }
        expect(await pwned()).toBeUndefined();
      };

      // An idle session, so that its row does not change.
      await emulate(request, {
        id: INJECTED,
        state: 'idle',
        name: IMG,
        owner: SCRIPT,
        ...load(0, 0, 0)
      });
      await expect
        .poll(async () => session(await snapshot(request), INJECTED)?.name, {
          timeout: 20000
        })
        .toBe(IMG);
      await openPanel(page);
      const injected = row(page, INJECTED);
      await expect(injected.locator('.jp-GlueSessions-row-name')).toHaveText(
        IMG
      );
      await expect(injected.locator('.jp-GlueSessions-owner')).toHaveText(
        SCRIPT
      );
      await expect(injected).toContainText('<img src=x onerror=');
      await expect(injected).toHaveAttribute(
        'aria-label',
        `${IMG} (${SCRIPT}), idle`
      );
      await page.waitForTimeout(1500);
      await noMarkup();

      // The row's picture at a fixed clock ("Idle for 1 min"), alone in the
      // panel: what is above it (sentences that wrap as time passes) moves it
      // by fractions of a pixel, which changes how its bar is drawn.
      let alone = true;
      await page.route(/\/glue-sessions\/api\/snapshot/, async route => {
        if (!alone) {
          return route.fallback();
        }
        // Always the whole answer (no If-None-Match), under an ETag of its own.
        const headers = { ...route.request().headers() };
        delete headers['if-none-match'];
        const response = await route.fetch({ headers });
        if (response.status() !== 200) {
          return route.fulfill({ response });
        }
        const body = await response.json();
        body.sessions = body.sessions.filter((s: any) => s.id === INJECTED);
        body.starvation = [];
        body.advice = [];
        body.endpoint.problems = [];
        return route.fulfill({ json: body, headers: { ETag: '"alone"' } });
      });
      await expect(panel.locator('.jp-GlueSessions-row')).toHaveCount(1, {
        timeout: 20000
      });
      const since = Date.parse(
        session(await snapshot(request), INJECTED).status_since
      );
      await page.clock.setFixedTime(new Date(since + 90 * 1000));
      await expect(
        injected.locator('.jp-GlueSessions-row-relations')
      ).toHaveText('Idle for 1 min');
      await injected.scrollIntoViewIfNeeded();
      await page.mouse.move(0, 0);
      expect(await injected.screenshot()).toMatchSnapshot('untrusted-row.png');
      await page.clock.setSystemTime(new Date());
      alone = false;

      // It hogs every executor: the name is now also in the cluster bar, the
      // starvation sentence, its chips and the advice the server writes.
      await emulate(
        request,
        { id: 0, ...load(0, 0, 40) },
        { id: INJECTED, state: 'busy', ...load(9, 72, 428) }
      );
      await expect(panel.locator('.jp-GlueSessions-cluster')).toContainText(
        SCRIPT,
        { timeout: 20000 }
      );
      await expect(
        panel.locator('.jp-GlueSessions-sentence', {
          hasText: `${IMG} (${SCRIPT}) holds 9 of 9`
        })
      ).not.toHaveCount(0, { timeout: 20000 });
      await expect(
        panel.locator('.jp-GlueSessions-chip', { hasText: IMG })
      ).not.toHaveCount(0);
      await expect(
        panel.locator('.jp-GlueSessions-advice', { hasText: IMG })
      ).not.toHaveCount(0);
      await noMarkup();
    });

    test('links that are not http(s) are not links', async ({
      page,
      request
    }) => {
      // The emulator's control API cannot give a session another Spark UI URL
      // (and the server drops non-http(s) URLs from Livy, parse._http_url), so
      // the panel's own check is tested on an answer changed in the browser.
      await emulate(request, {
        id: INJECTED,
        state: 'idle',
        name: IMG,
        owner: SCRIPT,
        executors: 0
      });
      await expect
        .poll(async () => session(await snapshot(request), INJECTED)?.name, {
          timeout: 20000
        })
        .toBe(IMG);
      const bad = [
        'javascript:window.__pwned=3',
        ' JavaScript:window.__pwned=4',
        'data:text/html,<script>window.__pwned=5</script>',
        'vbscript:msgbox(1)',
        '//evil.example/',
        'file:///etc/passwd'
      ];
      let n = 0;
      await page.route(/\/glue-sessions\/api\/snapshot/, async route => {
        const response = await route.fetch();
        if (response.status() !== 200) {
          return route.fulfill({ response });
        }
        const body = await response.json();
        for (const s of body.sessions ?? []) {
          s.spark_ui_url = bad[n % bad.length];
          s.driver_log_url = bad[(n + 1) % bad.length];
          if (s.id === INJECTED) {
            s.error = '<b onmouseover="window.__pwned=6">error</b>';
          }
          n++;
        }
        body.endpoint.problems = [
          {
            source: 'spark-ui',
            session: INJECTED,
            message: '<img src=y onerror="window.__pwned=7">',
            since: new Date().toISOString()
          }
        ];
        return route.fulfill({
          json: body,
          headers: { ETag: `"bad-${n}"` }
        });
      });
      await openPanel(page, INJECTED);
      const panel = page.locator(PANEL);
      const injected = row(page, INJECTED);
      await expect(injected.locator('.jp-GlueSessions-row-error')).toHaveText(
        '<b onmouseover="window.__pwned=6">error</b>',
        { timeout: 20000 }
      );
      await expect(panel.locator('.jp-GlueSessions-problems')).toContainText(
        '<img src=y onerror="window.__pwned=7">'
      );
      await panel.locator('.jp-GlueSessions-problems summary').click();
      await injected.locator('.jp-GlueSessions-row-error').hover();
      await expect(panel.locator('.jp-GlueSessions-row')).toHaveCount(4);
      await expect(panel.locator('a')).toHaveCount(0);
      await expect(
        panel.locator('img, script, [onerror], [onmouseover]')
      ).toHaveCount(0);
      await page.waitForTimeout(1000);
      expect(
        await page.evaluate(() => (window as any).__pwned)
      ).toBeUndefined();
    });
  });
});
