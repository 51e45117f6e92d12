import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { APIRequestContext } from '@playwright/test';
import { EMULATOR, session, snapshot } from './helpers';

/**
 * The endpoint emulator's control API: its sessions (the seed scenario and
 * putting it back), and Livy going down.
 */

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

/** The seed scenario (emulator/scenario.py seed_scenario). */
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
