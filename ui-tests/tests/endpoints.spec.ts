import { expect, test } from '@jupyterlab/galata';
import {
  EXAMPLE,
  NOW,
  PANEL,
  RECORDED_PAGE,
  fixture,
  openPanel,
  panelSettings,
  recordedHistory
} from './helpers';

/**
 * The panel when the server polls two Livy endpoints (the configured one and
 * one more that a kernel used), from recorded answers at a fixed clock:
 * /endpoints lists both, and /snapshot and /history answer each with
 * ?endpoint=.
 *
 * - the configured endpoint: the contract's example (docs/snapshot-example.json),
 *   alice hogs 9 of 9 executors, bob starves;
 * - the other: tests/fixtures/snapshot-orphaned.json at another URL, dana's
 *   orphaned livy-session-4 and her starving livy-session-5.
 */
const CONFIGURED = 'http://127.0.0.1:8998';
const OTHER = 'http://livy-emr.example.internal:8998';
const NOT_POLLED = 'http://livy-old.example.internal:8998';

const OTHER_SNAPSHOT = (() => {
  const answer = fixture('snapshot-orphaned.json');
  answer.endpoint.url = OTHER;
  return answer;
})();

const ENDPOINTS = {
  endpoints: [
    {
      id: CONFIGURED,
      configured: true,
      last_used_at: '2026-11-24T09:59:40Z',
      reachable: true,
      sessions: 2,
      starving: 1
    },
    {
      id: OTHER,
      configured: false,
      last_used_at: '2026-11-24T09:58:10Z',
      reachable: true,
      sessions: 2,
      starving: 1
    }
  ],
  max_endpoints: 2,
  not_polled: [NOT_POLLED]
};

/** Ten minutes at 5 s: alice ramps up to 9 executors, bob never gets one. */
const HISTORY = recordedHistory(120, k => ({
  '0': k < 20 ? null : Math.min(9, Math.floor((k - 20) / 4)),
  '1': k < 60 ? null : 0
}));

/** dana's forgotten session keeps 1 executor; her report waits from the 90th poll. */
const OTHER_HISTORY = recordedHistory(120, k => ({
  '4': 1,
  '5': k < 90 ? null : 0
}));

/** Which endpoint a request is about (null: no ?endpoint=, the configured one). */
function endpointOf(url: string): string | null {
  return new URL(url).searchParams.get('endpoint');
}

test.describe('several Livy endpoints (recorded answers)', () => {
  // Without the advice (other screenshots show it): both sections in view.
  test.use({
    ...RECORDED_PAGE,
    viewport: { width: 1200, height: 2000 },
    mockSettings: panelSettings({ showAdvice: false })
  });

  test('one section per endpoint, light theme', async ({ page }) => {
    const asked: (string | null)[] = [];
    await page.clock.setFixedTime(NOW);
    await page.route(/\/glue-sessions\/api\/endpoints/, route =>
      route.fulfill({ json: ENDPOINTS })
    );
    await page.route(/\/glue-sessions\/api\/snapshot/, route => {
      const endpoint = endpointOf(route.request().url());
      asked.push(endpoint);
      return endpoint === OTHER
        ? route.fulfill({ json: OTHER_SNAPSHOT, headers: { ETag: '"o"' } })
        : endpoint === null
          ? route.fulfill({ json: EXAMPLE, headers: { ETag: '"c"' } })
          : route.fulfill({
              status: 404,
              json: { code: 404, message: 'no such endpoint' }
            });
    });
    await page.route(/\/glue-sessions\/api\/history/, route =>
      route.fulfill({
        json:
          endpointOf(route.request().url()) === OTHER ? OTHER_HISTORY : HISTORY
      })
    );
    await page.goto();
    await openPanel(page);

    const panel = page.locator(PANEL);
    const groups = panel.locator('.jp-GlueSessions-endpointGroup');
    await expect(groups).toHaveCount(2);
    await expect(
      groups.locator('.jp-GlueSessions-endpointTitle-url')
    ).toHaveText([CONFIGURED, OTHER]);
    await expect(
      groups.locator('.jp-GlueSessions-endpointTitle-facts')
    ).toHaveText([
      'configured reachable · 2 sessions · 1 starving',
      'reachable · 2 sessions · 1 starving'
    ]);
    // Each section shows its own endpoint's sessions.
    const ids = (i: number) =>
      groups
        .nth(i)
        .locator('.jp-GlueSessions-row')
        .evaluateAll(rows => rows.map(r => r.getAttribute('data-session-id')));
    await expect(groups.nth(1).locator('.jp-GlueSessions-row')).toHaveCount(2);
    expect(await ids(0)).toEqual(['1', '0']);
    expect(await ids(1)).toEqual(['5', '4']);
    await expect(panel.locator('.jp-GlueSessions-notPolled')).toHaveText(
      `Also used, not polled (the server polls at most 2 endpoints): ${NOT_POLLED}`
    );
    expect(asked).toContain(OTHER);
    expect(asked).toContain(null);

    await page.sidebar.setWidth(360, 'right');
    await page.mouse.move(0, 0);
    expect(await panel.screenshot()).toMatchSnapshot(
      'panel-endpoints-light.png'
    );

    // The open command focuses a session of the other endpoint.
    await page.evaluate(
      ([endpoint]) =>
        window.jupyterapp.commands.execute('glue-sessions:open', {
          sessionId: 5,
          endpoint
        }),
      [OTHER]
    );
    await expect(
      groups.nth(1).locator('.jp-GlueSessions-row[data-session-id="5"]')
    ).toBeFocused();
    await expect(
      groups.nth(0).locator('.jp-GlueSessions-row.is-selected')
    ).toHaveCount(0);
  });

  test('a server without the endpoints API shows one endpoint as before', async ({
    page
  }) => {
    await page.clock.setFixedTime(NOW);
    await page.route(/\/glue-sessions\/api\/endpoints/, route =>
      route.fulfill({ status: 404, json: { code: 404, message: 'Not Found' } })
    );
    await page.route(/\/glue-sessions\/api\/snapshot/, route =>
      route.fulfill({ json: EXAMPLE, headers: { ETag: '"c"' } })
    );
    await page.route(/\/glue-sessions\/api\/history/, route =>
      route.fulfill({ json: HISTORY })
    );
    await page.goto();
    await openPanel(page);
    const panel = page.locator(PANEL);
    await expect(panel.locator('.jp-GlueSessions-row')).toHaveCount(2);
    await expect(panel.locator('.jp-GlueSessions-endpointGroup')).toHaveCount(
      0
    );
    await expect(panel.locator('.jp-GlueSessions-view')).toHaveCount(1);
  });
});
