import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import { APIRequestContext, Page } from '@playwright/test';
import * as path from 'path';

/**
 * The Spark status of a notebook, in its toolbar, against the real server
 * extension polling the endpoint emulator.
 *
 * A python3 notebook is tied to livy-session-1 by the real sparkmagic events
 * hook (glue_sessions.kernel_hook.KernelSessionRecorder), driven in the kernel
 * the way sparkmagic drives it; the server then maps that Livy session to the
 * notebook's kernel. The emulator's control API then walks the session through
 * each state. Every test puts the emulator back to the seed scenario (which
 * glue-sessions.spec.ts expects) and shuts its kernels down (which unmaps the
 * notebook).
 */

const ROOT = path.resolve(__dirname, '..', '..');
const EMULATOR = `http://127.0.0.1:${
  process.env.GLUE_SESSIONS_EMULATOR_PORT || '18998'
}`;
const HINT = '.jp-NotebookPanel-toolbar .jp-GlueSessions-hint';
const BUTTON = `${HINT} .jp-GlueSessions-hint-button`;
const PANEL = '#glue-sessions-panel';
const TOAST = '.Toastify__toast.jp-Notification-Toast-warning';

type Fields = {
  state?: string;
  owner?: string | null;
  executors?: number;
  running_tasks?: number;
  pending_tasks?: number;
  max_executors?: number | null;
};

/** The seed scenario (glue_sessions.testing.emulator.seed_scenario). */
const SEED: { [id: number]: Fields } = {
  0: {
    state: 'busy',
    owner: 'alice',
    executors: 9,
    running_tasks: 72,
    pending_tasks: 428,
    max_executors: null
  },
  1: {
    state: 'busy',
    owner: 'bob',
    executors: 0,
    running_tasks: 0,
    pending_tasks: 40,
    max_executors: null
  },
  2: {
    state: 'idle',
    owner: 'carol',
    executors: 0,
    running_tasks: 0,
    pending_tasks: 0,
    max_executors: null
  }
};

async function emulate(
  request: APIRequestContext,
  id: number,
  fields: Fields
): Promise<void> {
  const response = await request.post(`${EMULATOR}/_emulator/sessions/${id}`, {
    data: fields
  });
  expect(response.ok()).toBe(true);
}

async function livyDown(
  request: APIRequestContext,
  down: boolean
): Promise<void> {
  const response = await request.post(`${EMULATOR}/_emulator/livy_down`, {
    data: { down }
  });
  expect(response.ok()).toBe(true);
}

async function snapshot(request: APIRequestContext): Promise<any> {
  const response = await request.get('/glue-sessions/api/snapshot');
  return response.ok() ? await response.json() : null;
}

function session(snap: any, id: number): any {
  return (snap?.sessions ?? []).find((s: any) => s.id === id) ?? null;
}

/**
 * The cell that drives the kernel hook as sparkmagic does: LivySession.start()
 * -> SparkEvents.emit_session_creation_end_event() -> handler.handle_event(),
 * with the LivySession (guid, endpoint.url) on the call stack.
 */
function mappingCell(sessionId: number): string {
  return `import datetime, sys, uuid
try:
    import glue_sessions
except ImportError:  # not installed: the source tree
    sys.path.insert(0, ${JSON.stringify(ROOT)})
from glue_sessions.kernel_hook import KernelSessionRecorder


class LivySession:
    """Stands in for sparkmagic's LivySession (guid, endpoint.url) on the call stack."""

    def __init__(self, url, session_id):
        self.guid = uuid.uuid4()
        self.endpoint = type("Endpoint", (), {"url": url})()
        self.id = session_id

    def start(self, handler):
        # sparkmagic/utils/sparkevents.py emit_session_creation_end_event
        handler.handle_event([
            ("InstanceId", "galata"),
            ("EventName", "notebookSessionCreationEnd"),
            ("Timestamp", datetime.datetime.now(datetime.timezone.utc)),
            ("SessionGuid", self.guid),
            ("LivyKind", "pyspark"),
            ("SessionId", self.id),
            ("Status", "idle"),
            ("Success", True),
            ("ExceptionType", ""),
            ("ExceptionMessage", ""),
        ])


recorder = KernelSessionRecorder("magicsLogger", None, chained=None)
LivySession(${JSON.stringify(EMULATOR)}, ${sessionId}).start(recorder)
print("recorded", recorder.state.kernel_id, recorder.state.path.exists())
`;
}

async function kernelId(page: Page): Promise<string> {
  return page.evaluate(
    () => (window.jupyterapp.shell.currentWidget as any).sessionContext.session
      .kernel.id
  );
}

/**
 * A notebook etl.ipynb with a python3 kernel whose hook created livy-session-N.
 *
 * The notebook is written first and then opened: a kernel learns its
 * notebook's path when it starts (JPY_SESSION_NAME), so a notebook created
 * as Untitled.ipynb and renamed would keep the old name in the record.
 */
async function notebookOwning(
  page: IJupyterLabPageFixture,
  request: APIRequestContext,
  tmpPath: string,
  sessionId: number
): Promise<string> {
  const notebook = {
    cells: [
      {
        cell_type: 'code',
        execution_count: null,
        id: 'map-kernel',
        metadata: {},
        outputs: [],
        source: []
      }
    ],
    metadata: {
      kernelspec: {
        display_name: 'Python 3 (ipykernel)',
        language: 'python',
        name: 'python3'
      }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
  const file = `${tmpPath}/etl.ipynb`;
  expect(
    await page.contents.uploadContent(
      JSON.stringify(notebook),
      'text',
      file
    )
  ).toBe(true);
  expect(await page.notebook.openByPath(file)).toBe(true);
  await page.notebook.activate('etl.ipynb');
  await page.waitForFunction(
    () =>
      !!(window.jupyterapp.shell.currentWidget as any)?.sessionContext?.session
        ?.kernel
  );
  await expect(page.locator(HINT)).toHaveAttribute('data-state', 'none', {
    timeout: 20000
  });
  await expect(page.locator(BUTTON)).toHaveCount(0);
  const id = await kernelId(page);

  await page.evaluate(code => {
    const nb = window.jupyterapp.shell.currentWidget as any;
    nb.content.widgets[0].model.sharedModel.setSource(code);
  }, mappingCell(sessionId));
  await page.notebook.runCell(0);
  expect(await page.notebook.getCellTextOutput(0)).toEqual([
    `recorded ${id} True\n`
  ]);

  // The server maps the Livy session to this notebook's kernel.
  await expect
    .poll(async () => session(await snapshot(request), sessionId)?.notebook, {
      timeout: 20000
    })
    .toEqual({ path: file, kernel_id: id });
  return id;
}

/**
 * Keeps the page on one snapshot of the server: lets snapshots through until
 * one satisfies `want`, then answers 304 (nothing changed) until released.
 * The server's states do not wait for a screenshot ("waiting" lasts 2 s).
 */
class Hold {
  constructor(private page: Page) {}

  async install(): Promise<void> {
    await this.page.route(/\/glue-sessions\/api\/snapshot/, async route => {
      if (this._etag) {
        return route.fulfill({ status: 304, headers: { ETag: this._etag } });
      }
      const response = await route.fetch();
      if (response.status() !== 200) {
        return route.fulfill({ response });
      }
      const body = await response.json();
      const etag = response.headers()['etag'] ?? null;
      if (this._etag) {
        // Another answer was held meanwhile: keep that one.
        return route.fulfill({ status: 304, headers: { ETag: this._etag } });
      }
      if (this._want && etag && this._want(body)) {
        this._etag = etag;
        this.held = body;
      } else {
        this._last = { body, etag };
      }
      return route.fulfill({ response });
    });
  }

  /**
   * Hold the first snapshot that satisfies `want` (the page's current one if
   * it does); ask until one comes.
   */
  async until(want: (snap: any) => boolean): Promise<any> {
    this.release();
    if (this._last?.etag && want(this._last.body)) {
      this._etag = this._last.etag;
      this.held = this._last.body;
      return this.held;
    }
    this._want = want;
    await expect
      .poll(
        async () => {
          await this.page.evaluate(() =>
            window.jupyterapp.commands.execute('glue-sessions:refresh')
          );
          return this.held !== null;
        },
        { timeout: 30000, intervals: [250] }
      )
      .toBe(true);
    return this.held;
  }

  release(): void {
    if (this.held) {
      this._last = { body: this.held, etag: this._etag };
    }
    this._etag = null;
    this._want = null;
    this.held = null;
  }

  held: any = null;
  private _last: { body: any; etag: string | null } | null = null;
  private _etag: string | null = null;
  private _want: ((snap: any) => boolean) | null = null;
}

async function shot(page: IJupyterLabPageFixture, name: string) {
  await page.mouse.move(0, 0);
  expect(await page.locator(HINT).screenshot()).toMatchSnapshot(name);
}

/**
 * The toolbar from the hint to its right end (the items on its left depend
 * on the other extensions installed, and change state on their own).
 */
async function toolbarEnd(page: IJupyterLabPageFixture): Promise<Buffer> {
  const bar = await page.locator('.jp-NotebookPanel-toolbar').boundingBox();
  const hint = await page.locator(HINT).boundingBox();
  expect(bar && hint).toBeTruthy();
  const x = Math.max(bar!.x, hint!.x - 8);
  return page.screenshot({
    clip: { x, y: bar!.y, width: bar!.x + bar!.width - x, height: bar!.height }
  });
}

test.use({
  // The shared model polls every second (the panel's setting; default 5 s).
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    'glue-sessions:panel': { refreshInterval: 1 }
  },
  viewport: { width: 1440, height: 720 }
});

test.describe('notebook hints (emulator)', () => {
  test.afterEach(async ({ page, request }) => {
    // Shut the test's kernels down: the server forgets their Livy sessions.
    await page
      .evaluate(() => window.jupyterapp.serviceManager.sessions.shutdownAll())
      .catch(() => undefined);
    await livyDown(request, false);
    for (const [id, fields] of Object.entries(SEED)) {
      await emulate(request, Number(id), fields);
    }
    const sessions = await (await request.get('/api/sessions')).json();
    for (const s of sessions) {
      await request.delete(`/api/sessions/${s.id}`);
    }
    await expect
      .poll(
        async () => {
          const snap = await snapshot(request);
          return (
            snap?.endpoint?.reachable === true &&
            (snap.sessions ?? []).every((s: any) => !s.notebook) &&
            session(snap, 0)?.executors === 9
          );
        },
        { timeout: 30000 }
      )
      .toBe(true);
  });

  test('the hint follows the notebook session through each state', async ({
    page,
    request,
    tmpPath
  }) => {
    test.setTimeout(240000);
    const hold = new Hold(page);
    await hold.install();

    // Starting (before the notebook drives it, so that nothing starves yet).
    await emulate(request, 1, {
      state: 'starting',
      executors: 0,
      running_tasks: 0,
      pending_tasks: 0
    });
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
    await emulate(request, 1, {
      state: 'busy',
      executors: 3,
      running_tasks: 24,
      pending_tasks: 0
    });
    await emulate(request, 0, {
      executors: 6,
      running_tasks: 48,
      pending_tasks: 0
    });
    await expect(hint).toHaveText('Spark: 3 of 9 executors', {
      timeout: 20000
    });
    await expect(hint).toHaveAttribute(
      'title',
      /Executors: 3 held, fair share \d+(\.\d)?, needs 3 \(cluster: 9 of 9 in use\)/
    );
    await expect(hint).toHaveAttribute('title', /Tasks: 24 running, 0 pending/);
    await shot(page, 'hint-ok.png');

    // Waiting: bob has 40 tasks and no executor, alice holds all 9 again.
    // Waiting turns into starving after 2 s: hold the page on the waiting answer.
    await emulate(request, 1, {
      executors: 0,
      running_tasks: 0,
      pending_tasks: 40
    });
    await emulate(request, 0, {
      executors: 9,
      running_tasks: 72,
      pending_tasks: 428
    });
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
    await emulate(request, 1, {
      executors: 9,
      running_tasks: 72,
      pending_tasks: 428
    });
    await emulate(request, 0, {
      executors: 0,
      running_tasks: 0,
      pending_tasks: 40
    });
    await expect(hint).toHaveText('Spark: hogging 9 of 9', { timeout: 20000 });
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
    await emulate(request, 1, {
      state: 'idle',
      executors: 3,
      running_tasks: 0,
      pending_tasks: 0
    });
    await emulate(request, 0, {
      executors: 6,
      running_tasks: 48,
      pending_tasks: 0
    });
    await expect(hint).toHaveText('Spark: idle, holding 3 executors', {
      timeout: 20000
    });
    await expect(hint).toHaveAttribute('title', /Advice: livy-session-1 holds 3/);
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
    const row = page.locator(
      `${PANEL} .jp-GlueSessions-row[data-session-id="1"]`
    );
    await expect(row).toBeVisible();
    await expect(row).toHaveClass(/is-selected/);
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
    const row = page.locator(
      `${PANEL} .jp-GlueSessions-row[data-session-id="1"]`
    );
    await expect(row).toBeVisible();
    await expect(row).toHaveClass(/is-selected/);
    await expect(row).toContainText('etl.ipynb');
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

test.describe('openAtStartup (panel setting)', () => {
  test.use({
    mockSettings: {
      ...galata.DEFAULT_SETTINGS,
      'glue-sessions:panel': { openAtStartup: true }
    }
  });

  test('opens the panel when JupyterLab starts', async ({ page }) => {
    await expect(page.locator(PANEL)).toBeVisible();
  });
});
