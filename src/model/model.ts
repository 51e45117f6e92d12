import { ServerConnection } from '@jupyterlab/services';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { clampInterval, IPollError, MAX_BACKOFF_MS, toPollError } from './poll';
import { forEndpoint, requestConditional, stopSession } from './request';
import { normalizeHistory, normalizeSnapshot } from './normalize';
import { reuseUnchanged } from './reuse';
import { History, Snapshot } from '../snapshot';
import { Disposable } from './disposable';

/**
 * Polls the server extension's snapshot and history.
 *
 * - One `Poll` (@lumino/polling) for both: it stands by while the page is
 *   hidden or nobody watches, and backs off while the server does not answer.
 * - The snapshot is asked with `If-None-Match`: a 304 costs the server nothing
 *   and changes nothing here.
 * - The history (for the sparklines) is asked only when a watcher wants it,
 *   when the snapshot changed or at most every `historyRefresh` seconds.
 * - Each answer is normalized here, once (normalize.ts): the views and the
 *   hints read complete objects and check no type again.
 */
export class GlueSessionsModel extends Disposable {
  constructor(options: GlueSessionsModel.IOptions) {
    super();
    this._serverSettings = options.serverSettings;
    this._endpoint = options.endpoint || null;
    this._interval = clampInterval(options.refreshInterval);
    this._historyRefresh = options.historyRefresh ?? 30;
    this._poll = new Poll<void, Error>({
      auto: options.autoStart ?? true,
      factory: () => this._tick(),
      frequency: {
        interval: this._interval * 1000,
        backoff: true,
        max: MAX_BACKOFF_MS
      },
      name: 'glue-sessions:snapshot',
      standby: () => (this._watchers === 0 ? true : 'when-hidden')
    });
    this._poll.ticked.connect(this._onTicked, this);
  }

  /**
   * The id of the Livy endpoint it asks about (`?endpoint=`), or null for the
   * server's configured endpoint.
   */
  get endpoint(): string | null {
    return this._endpoint;
  }

  /**
   * The last snapshot answered, or null before the first answer.
   */
  get snapshot(): Snapshot | null {
    return this._snapshot;
  }

  /**
   * The last history answered, or null.
   */
  get history(): History | null {
    return this._history;
  }

  /**
   * Why the last request of the snapshot failed, or null when it succeeded.
   */
  get error(): GlueSessionsModel.IError | null {
    return this._error;
  }

  /**
   * Whether no snapshot was answered yet (and no error either).
   */
  get loading(): boolean {
    return this._snapshot === null && this._error === null;
  }

  /**
   * When (ms since the epoch) the server last answered the snapshot (200 or 304).
   */
  get lastCheckedAt(): number | null {
    return this._lastCheckedAt;
  }

  /**
   * When (`performance.now()` ms) the last response that changed the snapshot
   * or the history arrived, or null. The view measures its updates from it.
   */
  get receivedAt(): number | null {
    return this._receivedAt;
  }

  /**
   * Milliseconds until the next request, while backing off after an error.
   */
  get retryInterval(): number | null {
    return this._error ? this._poll.state.interval : null;
  }

  /**
   * Whether the server knows the history API (false after a 404).
   */
  get historySupported(): boolean {
    return this._historySupported;
  }

  /**
   * Seconds between two polls while all is well.
   */
  get refreshInterval(): number {
    return this._interval;
  }
  set refreshInterval(seconds: number) {
    const interval = clampInterval(seconds);
    if (interval === this._interval) {
      return;
    }
    this._interval = interval;
    this._poll.frequency = {
      ...this._poll.frequency,
      interval: interval * 1000
    };
  }

  /**
   * Emitted on any change: snapshot, history, error or check time.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Emitted when a new snapshot (a 200, not a 304) arrived.
   */
  get snapshotChanged(): ISignal<this, Snapshot> {
    return this._snapshotChanged;
  }

  /**
   * Emitted when a new history arrived.
   */
  get historyChanged(): ISignal<this, History> {
    return this._historyChanged;
  }

  /**
   * Whether the model is disposed.
   */

  /**
   * Declare interest in the data. The poll runs only while someone watches.
   * Dispose of the result to stop watching.
   *
   * @param options.history Whether the watcher needs the history too.
   */
  watch(options: { history?: boolean } = {}): IDisposable {
    const history = !!options.history;
    this._watchers++;
    if (history) {
      this._historyWatchers++;
    }
    if (this._watchers === 1 || (history && this._historyWatchers === 1)) {
      void this.refresh();
    }
    return new DisposableDelegate(() => {
      this._watchers--;
      if (history) {
        this._historyWatchers--;
      }
    });
  }

  /**
   * Ask now, without waiting for the next tick.
   */
  async refresh(): Promise<void> {
    if (this.isDisposed) {
      return;
    }
    this._forceHistory = true;
    await this._poll.refresh();
    await this._poll.tick.catch(() => undefined);
  }

  /**
   * Stop (DELETE) a Livy session of one of this server's notebooks, then ask
   * for the snapshot again. The server refuses (403) unless
   * `snapshot.actions.stop_own_sessions` and the session has a notebook here.
   *
   * @throws ServerConnection.ResponseError with the server's message, or
   * ServerConnection.NetworkError.
   */
  async stopSession(sessionId: number): Promise<void> {
    try {
      await stopSession(sessionId, this._serverSettings, this._endpoint);
    } finally {
      // Whatever happened, show the endpoint as it is now.
      await this.refresh();
    }
  }

  /**
   * Stop polling and release resources.
   */
  protected onDispose(): void {
    this._poll.dispose();
    Signal.clearData(this);
  }

  /**
   * One poll: the snapshot, then the history when it is wanted.
   * Throws (so that the poll backs off) when the snapshot could not be had.
   */
  private async _tick(): Promise<void> {
    let changed = false;
    try {
      const answer = await requestConditional<unknown>(
        forEndpoint('snapshot', this._endpoint),
        this._serverSettings,
        this._etag
      );
      this._lastCheckedAt = Date.now();
      if (answer.status !== 304 && answer.data) {
        if (typeof answer.data !== 'object') {
          throw new Error('The snapshot is not a JSON object.');
        }
        // Unchanged parts keep their identity: the view re-renders only
        // what changed (memoized rows).
        this._snapshot = reuseUnchanged(
          this._snapshot,
          normalizeSnapshot(answer.data)
        );
        this._etag = answer.etag;
        this._receivedAt = answer.receivedAt;
        changed = true;
      }
      this._error = null;
    } catch (reason) {
      this._error = toPollError(reason);
      this._changed.emit();
      throw reason;
    }

    if (changed && this._snapshot) {
      this._snapshotChanged.emit(this._snapshot);
    }
    await this._maybeFetchHistory(changed);
    this._changed.emit();
  }

  private async _maybeFetchHistory(snapshotChanged: boolean): Promise<void> {
    if (this._historyWatchers === 0 || !this._historySupported) {
      return;
    }
    const now = Date.now();
    const due =
      this._forceHistory ||
      snapshotChanged ||
      this._lastHistoryAt === null ||
      now - this._lastHistoryAt >= this._historyRefresh * 1000;
    if (!due) {
      return;
    }
    this._forceHistory = false;
    try {
      const answer = await requestConditional<unknown>(
        forEndpoint('history', this._endpoint),
        this._serverSettings,
        this._historyEtag
      );
      this._lastHistoryAt = now;
      if (answer.status !== 304 && answer.data) {
        this._history = normalizeHistory(answer.data);
        this._historyEtag = answer.etag;
        this._receivedAt = answer.receivedAt;
        this._historyChanged.emit(this._history);
      }
    } catch (reason) {
      // The history only feeds the sparklines: never fail the poll for it.
      if (
        reason instanceof ServerConnection.ResponseError &&
        reason.response.status === 404
      ) {
        this._historySupported = false;
      }
      this._lastHistoryAt = now;
    }
  }

  private _onTicked(): void {
    // Keep the retry countdown of the view in step with the poll.
    if (this._error) {
      this._changed.emit();
    }
  }

  private _serverSettings: ServerConnection.ISettings;
  private _endpoint: string | null;
  private _poll: Poll<void, Error>;
  private _interval: number;
  private _historyRefresh: number;
  private _snapshot: Snapshot | null = null;
  private _history: History | null = null;
  private _etag: string | null = null;
  private _historyEtag: string | null = null;
  private _error: GlueSessionsModel.IError | null = null;
  private _lastCheckedAt: number | null = null;
  private _receivedAt: number | null = null;
  private _lastHistoryAt: number | null = null;
  private _historySupported = true;
  private _forceHistory = true;
  private _watchers = 0;
  private _historyWatchers = 0;
  private _changed = new Signal<this, void>(this);
  private _snapshotChanged = new Signal<this, Snapshot>(this);
  private _historyChanged = new Signal<this, History>(this);
}

/**
 * A namespace for GlueSessionsModel statics.
 */
export namespace GlueSessionsModel {
  /**
   * Options of the model.
   */
  export interface IOptions {
    /** The Jupyter server to ask. */
    serverSettings: ServerConnection.ISettings;
    /**
     * The id of the Livy endpoint to ask about (`?endpoint=`, see
     * EndpointsModel); none: the server's configured endpoint.
     */
    endpoint?: string | null;
    /** Seconds between two polls (default 5, at least 1). */
    refreshInterval?: number;
    /** Seconds between two history requests when the snapshot did not change. */
    historyRefresh?: number;
    /** Start polling at once (default true); tests pass false. */
    autoStart?: boolean;
  }

  /**
   * Why the snapshot could not be had (see poll.ts).
   */
  export type IError = IPollError;
}
