import { ServerConnection } from '@jupyterlab/services';
import { DisposableDelegate, IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { GlueSessionsModel } from './model';
import { normalizeEndpoints } from './normalize';
import { requestAPI } from './request';
import { EndpointRef, Endpoints } from '../snapshot';
import { Disposable } from './disposable';

/**
 * The Livy endpoints this Jupyter server polls: the configured one, and every
 * other Livy URL its sparkmagic kernels used (`GET /glue-sessions/api/endpoints`).
 *
 * - One GlueSessionsModel per endpoint: the configured one is the shared
 *   model passed in; one is created for each other endpoint the server lists
 *   (asking with `?endpoint=<id>`), and disposed when the server no longer
 *   lists it.
 * - The list is asked while someone watches, every `interval` seconds and
 *   when the configured endpoint's snapshot changes. A server without the
 *   endpoints API (404) has the configured endpoint only: never asked again.
 * - `watch()` watches every endpoint's model, those listed later too.
 */
export class EndpointsModel extends Disposable {
  constructor(options: EndpointsModel.IOptions) {
    super();
    this._serverSettings = options.serverSettings;
    this._configured = options.configured;
    this._autoStart = options.autoStart ?? true;
    this._refreshInterval = options.configured.refreshInterval;
    this._entries = [{ id: null, ref: null, model: this._configured }];
    this._poll = new Poll<void, Error>({
      auto: this._autoStart,
      factory: () => this._tick(),
      frequency: {
        interval: (options.interval ?? 10) * 1000,
        backoff: true,
        max: 60 * 1000
      },
      name: 'glue-sessions:endpoints',
      standby: () =>
        this._watchers.size === 0 || this._supported === false
          ? true
          : 'when-hidden'
    });
    this._configured.snapshotChanged.connect(this._onConfiguredSnapshot, this);
    this._configured.changed.connect(this._onModelChanged, this);
  }

  /**
   * The configured endpoint's model (the shared one).
   */
  get configured(): GlueSessionsModel {
    return this._configured;
  }

  /**
   * Each endpoint polled, the configured one first (its `ref` is null until
   * the server listed it, or when the server has no endpoints API).
   */
  get entries(): readonly EndpointsModel.IEntry[] {
    return this._entries;
  }

  /**
   * Livy URLs that kernels used but that the server does not poll.
   */
  get notPolled(): readonly string[] {
    return this._notPolled;
  }

  /**
   * Most endpoints the server polls at once, or null when it did not say.
   */
  get maxEndpoints(): number | null {
    return this._maxEndpoints;
  }

  /**
   * Whether the server has the endpoints API: null before its first answer,
   * false after a 404 (a server from before several endpoints).
   */
  get supported(): boolean | null {
    return this._supported;
  }

  /**
   * Emitted when the list changed: endpoints, their counts, `notPolled`.
   */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /**
   * Emitted with an endpoint's model whenever it changes (its `changed`).
   */
  get modelChanged(): ISignal<this, GlueSessionsModel> {
    return this._modelChanged;
  }

  /**
   * Seconds between two polls of each endpoint's snapshot.
   */
  get refreshInterval(): number {
    return this._refreshInterval;
  }
  set refreshInterval(seconds: number) {
    this._entries.forEach(e => (e.model.refreshInterval = seconds));
    this._refreshInterval = this._configured.refreshInterval;
  }

  /**
   * The model of an endpoint by its id; null or undefined: the configured one.
   */
  modelOf(endpoint: string | null | undefined): GlueSessionsModel | null {
    if (!endpoint) {
      return this._configured;
    }
    return this._entries.find(e => e.id === endpoint)?.model ?? null;
  }

  /**
   * Watch every endpoint's model (see GlueSessionsModel.watch) and the list.
   */
  watch(options: { history?: boolean } = {}): IDisposable {
    const watcher: Private.IWatcher = { options, holds: new Map() };
    this._watchers.add(watcher);
    this._entries.forEach(e => Private.hold(watcher, e.model));
    if (this._watchers.size === 1) {
      void this._refreshList();
    }
    return new DisposableDelegate(() => {
      this._watchers.delete(watcher);
      watcher.holds.forEach(hold => hold.dispose());
      watcher.holds.clear();
    });
  }

  /**
   * Ask for the list and every endpoint's snapshot now.
   */
  async refresh(): Promise<void> {
    await this._refreshList();
    await Promise.all(this._entries.map(e => e.model.refresh()));
  }

  /**
   * Stop asking; dispose of the models this created (not the configured one).
   */
  protected onDispose(): void {
    this._poll.dispose();
    this._configured.snapshotChanged.disconnect(
      this._onConfiguredSnapshot,
      this
    );
    this._watchers.forEach(w => w.holds.forEach(hold => hold.dispose()));
    this._watchers.clear();
    this._entries.forEach(e => {
      e.model.changed.disconnect(this._onModelChanged, this);
      if (e.model !== this._configured) {
        e.model.dispose();
      }
    });
    this._entries = [];
    Signal.clearData(this);
  }

  private async _refreshList(): Promise<void> {
    if (this.isDisposed || this._supported === false) {
      return;
    }
    await this._poll.refresh();
    await this._poll.tick.catch(() => undefined);
  }

  private async _tick(): Promise<void> {
    let answer: Endpoints;
    try {
      answer = normalizeEndpoints(
        await requestAPI<unknown>('endpoints', this._serverSettings)
      );
    } catch (reason) {
      if (
        reason instanceof ServerConnection.ResponseError &&
        reason.response.status === 404
      ) {
        // A server from before several endpoints: the configured one only.
        this._supported = false;
        this._apply({ endpoints: [], max_endpoints: null, not_polled: [] });
        return;
      }
      // Keep the last list; the poll backs off.
      throw reason;
    }
    if (!this.isDisposed) {
      this._supported = true;
      this._apply(answer);
    }
  }

  /**
   * Make the entries those of the answer: reuse the models of the endpoints
   * still listed, create those of the new ones, dispose of the others.
   */
  private _apply(answer: Endpoints): void {
    const configuredRef = answer.endpoints.find(r => r.configured) ?? null;
    const before = new Map(
      this._entries.filter(e => e.id !== null).map(e => [e.id!, e])
    );
    const next: EndpointsModel.IEntry[] = [
      {
        id: configuredRef?.id ?? null,
        ref: configuredRef,
        model: this._configured
      }
    ];
    for (const ref of answer.endpoints) {
      if (ref === configuredRef || ref.id === configuredRef?.id) {
        continue;
      }
      const kept = before.get(ref.id);
      const model =
        kept && kept.model !== this._configured
          ? kept.model
          : this._createModel(ref.id);
      next.push({ id: ref.id, ref, model });
    }
    const models = new Set(next.map(e => e.model));
    for (const e of this._entries) {
      if (!models.has(e.model)) {
        this._release(e.model);
      }
    }
    const changed =
      Private.key(this._entries, this._notPolled, this._maxEndpoints) !==
      Private.key(next, answer.not_polled, answer.max_endpoints);
    this._entries = next;
    this._notPolled = answer.not_polled;
    this._maxEndpoints = answer.max_endpoints;
    if (changed) {
      this._changed.emit();
    }
  }

  private _createModel(id: string): GlueSessionsModel {
    const model = new GlueSessionsModel({
      serverSettings: this._serverSettings,
      endpoint: id,
      refreshInterval: this._refreshInterval,
      autoStart: this._autoStart
    });
    model.changed.connect(this._onModelChanged, this);
    this._watchers.forEach(w => Private.hold(w, model));
    return model;
  }

  private _release(model: GlueSessionsModel): void {
    model.changed.disconnect(this._onModelChanged, this);
    this._watchers.forEach(w => {
      w.holds.get(model)?.dispose();
      w.holds.delete(model);
    });
    if (model !== this._configured) {
      model.dispose();
    }
  }

  private _onModelChanged(model: GlueSessionsModel): void {
    this._modelChanged.emit(model);
    // An endpoint the server no longer polls (404): ask for the list again,
    // once per failure.
    const error = model.error;
    if (
      model !== this._configured &&
      error?.kind === 'missing' &&
      this._missingAt.get(model) !== error.at
    ) {
      this._missingAt.set(model, error.at);
      void this._refreshList();
    }
  }

  private _onConfiguredSnapshot(): void {
    if (this._watchers.size > 0) {
      void this._refreshList();
    }
  }

  private _serverSettings: ServerConnection.ISettings;
  private _configured: GlueSessionsModel;
  private _autoStart: boolean;
  private _refreshInterval: number;
  private _poll: Poll<void, Error>;
  private _entries: EndpointsModel.IEntry[];
  private _notPolled: readonly string[] = [];
  private _maxEndpoints: number | null = null;
  private _supported: boolean | null = null;
  private _watchers = new Set<Private.IWatcher>();
  private _missingAt = new WeakMap<GlueSessionsModel, number>();
  private _changed = new Signal<this, void>(this);
  private _modelChanged = new Signal<this, GlueSessionsModel>(this);
}

/**
 * A namespace for EndpointsModel statics.
 */
export namespace EndpointsModel {
  /**
   * Options of the model.
   */
  export interface IOptions {
    /** The Jupyter server to ask. */
    serverSettings: ServerConnection.ISettings;
    /** The configured endpoint's model (the shared one; not disposed here). */
    configured: GlueSessionsModel;
    /** Seconds between two requests of the list while watched (default 10). */
    interval?: number;
    /** Start polling at once (default true); tests pass false. */
    autoStart?: boolean;
  }

  /**
   * One endpoint polled.
   */
  export interface IEntry {
    /** Its id (`?endpoint=`); null for the configured one before it is listed. */
    id: string | null;
    /** What the endpoints API says of it; null when not (yet) listed. */
    ref: EndpointRef | null;
    /** Its snapshot and history. */
    model: GlueSessionsModel;
  }
}

/**
 * Module-private helpers.
 */
namespace Private {
  /**
   * One watch of the endpoints, and the watch it holds on each model.
   */
  export interface IWatcher {
    options: { history?: boolean };
    holds: Map<GlueSessionsModel, IDisposable>;
  }

  /**
   * Hold a watcher's watch of a model (once).
   */
  export function hold(watcher: IWatcher, model: GlueSessionsModel): void {
    if (!watcher.holds.has(model)) {
      watcher.holds.set(model, model.watch(watcher.options));
    }
  }

  /**
   * What the `changed` signal is about, as one string.
   */
  export function key(
    entries: readonly EndpointsModel.IEntry[],
    notPolled: readonly string[],
    max: number | null
  ): string {
    return JSON.stringify([entries.map(e => [e.id, e.ref]), notPolled, max]);
  }
}
