import { expect, galata, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { APIRequestContext, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

/**
 * What the specs share: the panel (open it, its rows, refresh), the server's
 * snapshot, recorded answers at a fixed clock, the endpoint emulator's control
 * API (the seed scenario and putting it back), and a notebook mapped to a Livy
 * session by the real sparkmagic events hook.
 *
 * The live specs run against the real server extension polling the endpoint
 * emulator (emulator/ at the repository's root, started by playwright.config.js)
 * in the seed scenario: livy-session-0 (alice) hogs 9 of 9 executors,
 * livy-session-1 (bob) starves with 40 pending tasks, livy-session-2 (carol)
 * is idle.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const EMULATOR = `http://127.0.0.1:${
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

// -- the endpoint emulator ----------------------------------------------------

/** A session of the emulator, as its control API sets it. */
export type EmulatedSession = {
  id: number;
  state?: string;
  owner?: string | null;
  name?: string | null;
  kind?: string;
  executors?: number;
  running_tasks?: number;
  pending_tasks?: number;
  max_executors?: number | null;
};

/** The seed scenario (emulator/endpoint.py seed_scenario). */
export const SEED: EmulatedSession[] = [
  {
    id: 0,
    state: 'busy',
    owner: 'alice',
    name: null,
    executors: 9,
    running_tasks: 72,
    pending_tasks: 428,
    max_executors: null
  },
  {
    id: 1,
    state: 'busy',
    owner: 'bob',
    name: null,
    executors: 0,
    running_tasks: 0,
    pending_tasks: 40,
    max_executors: null
  },
  {
    id: 2,
    state: 'idle',
    owner: 'carol',
    name: null,
    executors: 0,
    running_tasks: 0,
    pending_tasks: 0,
    max_executors: null
  }
];

/** A session's executors, running tasks and pending tasks. */
export function load(executors: number, running: number, pending: number) {
  return { executors, running_tasks: running, pending_tasks: pending };
}

/** Adds or changes these sessions of the emulator, one after the other. */
export async function emulate(
  request: APIRequestContext,
  ...sessions: EmulatedSession[]
): Promise<void> {
  for (const { id, ...fields } of sessions) {
    const response = await request.post(
      `${EMULATOR}/_emulator/sessions/${id}`,
      { data: fields }
    );
    expect(response.ok()).toBe(true);
  }
}

/** Livy stops answering (503), or answers again. */
export async function livyDown(
  request: APIRequestContext,
  down: boolean
): Promise<void> {
  const response = await request.post(`${EMULATOR}/_emulator/livy_down`, {
    data: { down }
  });
  expect(response.ok()).toBe(true);
}

/** The ids of the sessions Livy lists. */
export async function livyIds(request: APIRequestContext): Promise<number[]> {
  const response = await request.get(`${EMULATOR}/sessions`);
  expect(response.ok()).toBe(true);
  return ((await response.json()).sessions ?? []).map((s: any) => s.id);
}

/**
 * After a test that changed things: no routes, the test's kernels shut down
 * (the server forgets their Livy sessions), Livy answering, the emulator back
 * to the seed scenario (which every spec expects), and the server seeing it.
 */
export async function restoreSeed(
  page: IJupyterLabPageFixture,
  request: APIRequestContext
): Promise<void> {
  await page.unrouteAll({ behavior: 'ignoreErrors' }).catch(() => undefined);
  await page
    .evaluate(() => window.jupyterapp.serviceManager.sessions.shutdownAll())
    .catch(() => undefined);
  await livyDown(request, false);
  const seed = SEED.map(s => s.id);
  for (const id of await livyIds(request)) {
    if (!seed.includes(id)) {
      const deleted = await request.post(
        `${EMULATOR}/_emulator/sessions/${id}/delete`,
        { data: {} }
      );
      expect(deleted.ok()).toBe(true);
    }
  }
  await emulate(request, ...SEED);
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
          (snap.sessions ?? []).map((s: any) => s.id).join() === seed.join() &&
          (snap.sessions ?? []).every((s: any) => !s.notebook) &&
          session(snap, 0)?.executors === 9
        );
      },
      { timeout: 30000 }
    )
    .toBe(true);
}

// -- a notebook mapped to a Livy session ----------------------------------------

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

/** The id of the kernel of the notebook in front. */
export async function kernelId(page: IJupyterLabPageFixture): Promise<string> {
  return page.evaluate(
    () =>
      (window.jupyterapp.shell.currentWidget as any).sessionContext.session
        .kernel.id
  );
}

/**
 * A notebook etl.ipynb with a python3 kernel whose hook created
 * livy-session-N; waits until the server maps the session to it and returns
 * the kernel's id.
 *
 * The notebook is written first and then opened: a kernel learns its
 * notebook's path when it starts (JPY_SESSION_NAME), so a notebook created
 * as Untitled.ipynb and renamed would keep the old name in the record.
 */
export async function notebookOwning(
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
    await page.contents.uploadContent(JSON.stringify(notebook), 'text', file)
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
  await expect(page.locator(HINT_BUTTON)).toHaveCount(0);
  const id = await kernelId(page);

  await page.evaluate(code => {
    const nb = window.jupyterapp.shell.currentWidget as any;
    nb.content.widgets[0].model.sharedModel.setSource(code);
  }, mappingCell(sessionId));
  await page.notebook.runCell(0);
  expect(await page.notebook.getCellTextOutput(0)).toEqual([
    `recorded ${id} True\n`
  ]);

  // The server maps the Livy session to this notebook's kernel, which runs it.
  await expect
    .poll(async () => session(await snapshot(request), sessionId)?.notebook, {
      timeout: 20000
    })
    .toEqual({ path: file, kernel_id: id, orphaned: false });
  return id;
}
