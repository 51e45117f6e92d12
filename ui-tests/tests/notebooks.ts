import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { APIRequestContext } from '@playwright/test';
import * as path from 'path';
import {
  EMULATOR,
  HINT,
  HINT_BUTTON,
  ROOT,
  session,
  snapshot
} from './helpers';

/**
 * A notebook mapped to a Livy session by the real sparkmagic events hook.
 */

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
