import { expect, test } from '@jupyterlab/galata';
import { emulate, livyDown, load, restoreSeed } from './emulator';
import { TOAST, Hold, hintAfter, shot, toolbarEnd } from './hint-helpers';
import {
  EVERY_SECOND,
  fixture,
  HINT,
  HINT_BUTTON as BUTTON,
  NOW,
  oneEndpoint,
  panelSettings,
  PANEL,
  refresh,
  row,
  session
} from './helpers';
import { kernelId, notebookOwning } from './notebooks';

/**
 * The Spark status of a notebook, in its toolbar, against the real server
 * extension polling the endpoint emulator.
 *
 * A python3 notebook is tied to livy-session-1 by the real sparkmagic events
 * hook (glue_sessions.kernel_hook.KernelSessionRecorder), driven in the kernel
 * the way sparkmagic drives it; the server then maps that Livy session to the
 * notebook's kernel (notebooks.ts notebookOwning). The emulator's control API
 * then walks the session through each state. Every test puts the emulator back
 * to the seed scenario (which glue-sessions.spec.ts expects) and shuts its
 * kernels down (which unmaps the notebook).
 */

test.use({
  mockSettings: EVERY_SECOND,
  viewport: { width: 1440, height: 720 }
});

test.describe('notebook hints (emulator)', () => {
  test.afterEach(({ page, request }) => restoreSeed(page, request));

  test('the hint follows the notebook session through each state', async ({
    page,
    request,
    tmpPath
  }) => {
    test.setTimeout(240000);
    const hold = new Hold(page);
    await hold.install();

    // Starting (before the notebook drives it, so that nothing starves yet).
    await emulate(request, { id: 1, state: 'starting', ...load(0, 0, 0) });
    await notebookOwning(page, request, tmpPath, 1);
    const hint = page.locator(BUTTON);
    await expect(hint).toHaveText('Spark: starting livy-session-1', {
      timeout: 20000
    });
    await expect(page.locator(HINT)).toHaveAttribute('data-state', 'starting');
    await expect(hint).toHaveAttribute(
      'title',
      /^livy-session-1 \(bob, etl\.ipynb\): starting/
    );
    await shot(page, 'hint-starting.png');

    // OK: 3 of the 9 executors, alice took 6.
    await hintAfter(page, request, 'Spark: 3 of 9 executors', [
      { id: 1, state: 'busy', ...load(3, 24, 0) },
      { id: 0, ...load(6, 48, 0) }
    ]);
    await expect(hint).toHaveAttribute(
      'title',
      /Executors: 3 held, fair share \d+(\.\d)?, needs 3 \(cluster: 9 of 9 in use\)/
    );
    await expect(hint).toHaveAttribute('title', /Tasks: 24 running, 0 pending/);
    await shot(page, 'hint-ok.png');

    // Waiting: bob has 40 tasks and no executor, alice holds all 9 again.
    // Waiting turns into starving after 2 s: hold the page on the waiting answer.
    await emulate(
      request,
      { id: 1, ...load(0, 0, 40) },
      { id: 0, ...load(9, 72, 428) }
    );
    await hold.until(
      snap =>
        session(snap, 1)?.status === 'waiting' &&
        session(snap, 0)?.executors === 9
    );
    await expect(hint).toHaveText(
      'Spark: waiting - livy-session-0 holds 9 of 9'
    );
    await expect(hint).toHaveAttribute(
      'title',
      /Above their fair share: livy-session-0 \(alice\) holds 9 of 9/
    );
    await shot(page, 'hint-waiting.png');
    await expect(page.locator(TOAST)).toHaveCount(0);

    // Starving: the hint says for how long, and a notification tells who holds them.
    hold.release();
    await expect(hint).toHaveText(
      /^Spark: starving \d+ s - livy-session-0 holds 9 of 9$/,
      { timeout: 20000 }
    );
    await expect(hint).toHaveAttribute(
      'title',
      /Starved by: livy-session-0 \(alice\) holds 9 of 9/
    );
    const toast = page.locator(TOAST, { hasText: 'Your notebook' });
    await expect(toast).toHaveCount(1);
    await expect(toast).toContainText(
      /Your notebook etl\.ipynb \(livy-session-1\) has been waiting \d+ s with 0 of its fair 4\.5 executors: livy-session-0 \(alice\) holds 9 of 9\./
    );
    await expect(toast.getByRole('button', { name: 'Show' })).toBeVisible();
    await expect(toast.getByRole('button', { name: 'Copy fix' })).toBeVisible();
    // Not repeated while nothing changes (several polls later).
    await page.waitForTimeout(4000);
    await expect(toast).toHaveCount(1);

    // The same state at a fixed clock, for a stable picture: "starving 2 min".
    const starving = await hold.until(
      snap => session(snap, 1)?.status === 'starving'
    );
    const since = Date.parse(
      starving.starvation.find((e: any) => e.session === 1).since
    );
    await page.clock.setFixedTime(new Date(since + 150 * 1000));
    await expect(hint).toHaveText(
      'Spark: starving 2 min - livy-session-0 holds 9 of 9'
    );
    await shot(page, 'hint-starving.png');
    // In context: the hint, the debugger switch, the kernel name and status.
    await page.mouse.move(0, 0);
    expect(await toolbarEnd(page)).toMatchSnapshot(
      'toolbar-starving-light.png'
    );
    await page.theme.setDarkTheme();
    await page.mouse.move(0, 0);
    expect(await toolbarEnd(page)).toMatchSnapshot('toolbar-starving-dark.png');
    await page.theme.setLightTheme();
    await page.clock.setSystemTime(new Date());
    hold.release();

    // Hogging: now bob holds everything while alice waits. The notification goes.
    await hintAfter(page, request, 'Spark: hogging 9 of 9', [
      { id: 1, ...load(9, 72, 428) },
      { id: 0, ...load(0, 0, 40) }
    ]);
    await expect(toast).toHaveCount(0);
    await expect(hint).toHaveAttribute(
      'title',
      /Starving: livy-session-0 \(alice\)/,
      { timeout: 20000 }
    );
    await expect(hint).toHaveAttribute(
      'title',
      /This notebook holds more than its fair share while others wait\./
    );
    await shot(page, 'hint-hogging.png');

    // Idle-hoarding: bob's job is done but its 3 executors stay.
    await hintAfter(page, request, 'Spark: idle, holding 3 executors', [
      { id: 1, state: 'idle', ...load(3, 0, 0) },
      { id: 0, ...load(6, 48, 0) }
    ]);
    await expect(hint).toHaveAttribute(
      'title',
      /Advice: livy-session-1 holds 3/
    );
    await shot(page, 'hint-idle-hoarding.png');

    // The endpoint stops answering.
    await livyDown(request, true);
    await expect(hint).toHaveText('Spark: endpoint unreachable', {
      timeout: 20000
    });
    await expect(hint).toHaveAttribute(
      'title',
      /^http:\/\/127\.0\.0\.1:\d+ (does not answer|has not answered for \d+ s)\./
    );
    await expect(hint).toHaveAttribute(
      'title',
      /This notebook drives livy-session-1 \(bob, etl\.ipynb\)\./
    );
    await shot(page, 'hint-unreachable.png');

    // A click opens the panel on the notebook's session.
    await hint.click();
    await expect(row(page, 1)).toBeVisible();
    await expect(row(page, 1)).toHaveClass(/is-selected/);
  });

  test('the notification names the culprit and opens the panel', async ({
    page,
    request,
    tmpPath
  }) => {
    test.setTimeout(120000);
    // The seed: bob's livy-session-1 starves while alice's livy-session-0 holds 9 of 9.
    await notebookOwning(page, request, tmpPath, 1);
    await expect(page.locator(BUTTON)).toHaveText(
      /^Spark: starving \d+ (s|min) - livy-session-0 holds 9 of 9$/,
      { timeout: 20000 }
    );
    const toast = page.locator(TOAST, { hasText: 'Your notebook' });
    await expect(toast).toHaveCount(1);
    await expect(toast).toContainText(
      /Your notebook etl\.ipynb \(livy-session-1\) has been waiting \d+ (s|min) with 0 of its fair 4\.5 executors: livy-session-0 \(alice\) holds 9 of 9\./
    );
    await page.waitForTimeout(3000);
    await expect(toast).toHaveCount(1);

    await toast.getByRole('button', { name: 'Show' }).click();
    await expect(row(page, 1)).toBeVisible();
    await expect(row(page, 1)).toHaveClass(/is-selected/);
    await expect(row(page, 1)).toContainText('etl.ipynb');
    // Shown once: clicking dismissed it, and it does not come back.
    await expect(toast).toHaveCount(0);
    await page.waitForTimeout(3000);
    await expect(toast).toHaveCount(0);
  });

  test('a sparkmagic kernel without a session says so', async ({
    page,
    request
  }) => {
    const specs = await (await request.get('/api/kernelspecs')).json();
    test.skip(
      !specs?.kernelspecs?.pysparkkernel,
      'sparkmagic kernels are not installed'
    );
    await page.notebook.createNew('spark.ipynb', { kernel: 'pysparkkernel' });
    const hint = page.locator(BUTTON);
    await expect(hint).toHaveText('Spark: no session yet', { timeout: 30000 });
    await expect(hint).toHaveAttribute('title', /no Livy session yet/);
    await shot(page, 'hint-no-session.png');
  });
});

/**
 * The hint of a notebook whose session cannot start, at a fixed clock, from
 * what the server's analysis makes of the real YARN and Livy answers of
 * devstack/samples/yarn/cannot_start_* (fixtures/snapshot-cannot-start.json),
 * with the kernel id of etl.ipynb's session set to the notebook's opened here.
 */
test.describe('a notebook whose session cannot start (recorded answer)', () => {
  test.use({ autoGoto: false, timezoneId: 'UTC' });

  test('the hint and the notification say it cannot start, and why', async ({
    page
  }) => {
    let kernel: string | null = null;
    const answer = () => {
      const snap = fixture('snapshot-cannot-start.json');
      snap.sessions[1].notebook.kernel_id = kernel;
      return snap;
    };
    await page.clock.setFixedTime(NOW);
    await oneEndpoint(page);
    await page.route(/\/glue-sessions\/api\/snapshot/, route =>
      route.fulfill({ json: answer(), headers: { ETag: `"${kernel}"` } })
    );
    await page.route(/\/glue-sessions\/api\/history/, route =>
      route.fulfill({ json: { poll_interval: 5, times: [], series: {} } })
    );
    await page.goto();
    await page.notebook.createNew('etl.ipynb', { kernel: 'python3' });
    await page.waitForFunction(
      () =>
        !!(window.jupyterapp.shell.currentWidget as any)?.sessionContext
          ?.session?.kernel
    );
    kernel = await kernelId(page);
    await refresh(page);

    const hint = page.locator(BUTTON);
    await expect(hint).toHaveText(
      'Spark: cannot start - livy-session-0 holds 5 of 5',
      { timeout: 20000 }
    );
    await expect(page.locator(HINT)).toHaveAttribute('data-state', 'starving');
    const title = await hint.getAttribute('title');
    for (const line of [
      'Cannot start: no room for its driver, for 2 min (since 09:58).',
      'Livy says starting; its driver asks YARN for 1 core · 1 GiB in queue default.',
      'YARN: [Sun Dec 06 01:25:50 +0000 2026] Application is Activated, waiting for resources to be assigned for AM.',
      'Starved by: livy-session-0 holds 5 of 5'
    ]) {
      expect(title).toContain(line);
    }

    const toast = page.locator(TOAST, { hasText: 'Your notebook' });
    await expect(toast).toHaveCount(1);
    await expect(toast).toContainText(
      'Your notebook etl.ipynb (livy-session-1) cannot start: no room for its driver, for 2 min: livy-session-0 holds 5 of 5.'
    );
    await shot(page, 'hint-cannot-start.png');
    await page.mouse.move(0, 0);
    expect(await toolbarEnd(page)).toMatchSnapshot(
      'toolbar-cannot-start-light.png'
    );
    await page.theme.setDarkTheme();
    await page.mouse.move(0, 0);
    expect(await toolbarEnd(page)).toMatchSnapshot(
      'toolbar-cannot-start-dark.png'
    );
    await page.theme.setLightTheme();
    await page.evaluate(() =>
      window.jupyterapp.serviceManager.sessions.shutdownAll()
    );
  });
});

test.describe('openAtStartup (panel setting)', () => {
  test.use({
    mockSettings: panelSettings({ openAtStartup: true })
  });

  test('opens the panel when JupyterLab starts', async ({ page }) => {
    await expect(page.locator(PANEL)).toBeVisible();
  });
});
