import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { APIRequestContext, Page } from '@playwright/test';
import { emulate, EmulatedSession } from './emulator';
import { HINT, HINT_BUTTON as BUTTON, refresh } from './helpers';

/**
 * What the notebook hint specs share: holding the page on one snapshot, the
 * hint after a change of the emulator, and screenshots of the hint and of
 * the toolbar's end.
 */

export const TOAST = '.Toastify__toast.jp-Notification-Toast-warning';

/**
 * Keeps the page on one snapshot of the server: lets snapshots through until
 * one satisfies `want`, then answers 304 (nothing changed) until released.
 * The server's states do not wait for a screenshot ("waiting" lasts 2 s).
 */
export class Hold {
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
          await refresh(this.page);
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

/** Changes these sessions of the emulator, then waits for the hint to say `text`. */
export async function hintAfter(
  page: IJupyterLabPageFixture,
  request: APIRequestContext,
  text: string,
  sessions: EmulatedSession[]
): Promise<void> {
  await emulate(request, ...sessions);
  await expect(page.locator(BUTTON)).toHaveText(text, { timeout: 20000 });
}

export async function shot(page: IJupyterLabPageFixture, name: string) {
  await page.mouse.move(0, 0);
  expect(await page.locator(HINT).screenshot()).toMatchSnapshot(name);
}

/**
 * The toolbar from the hint to its right end (the items on its left depend
 * on the other extensions installed, and change state on their own).
 */
export async function toolbarEnd(
  page: IJupyterLabPageFixture
): Promise<Buffer> {
  const bar = await page.locator('.jp-NotebookPanel-toolbar').boundingBox();
  const hint = await page.locator(HINT).boundingBox();
  expect(bar && hint).toBeTruthy();
  const x = Math.max(bar!.x, hint!.x - 8);
  return page.screenshot({
    clip: { x, y: bar!.y, width: bar!.x + bar!.width - x, height: bar!.height }
  });
}
