import { EndpointsModel } from '../model/endpoints';
import { GlueSessionsModel } from '../model/model';
import { StarvationNotifier } from './notifier';
import { Disposable } from '../model/disposable';

/**
 * One StarvationNotifier per Livy endpoint the server polls: the user's own
 * session may starve on any of them. Made and disposed as the endpoints come
 * and go (a notifier that goes withdraws what it shows).
 */
export class EndpointNotifiers extends Disposable {
  constructor(options: EndpointNotifiers.IOptions) {
    super();
    this._endpoints = options.endpoints;
    this._onShow = options.onShow;
    this._isLive = options.isLive;
    this._endpoints.changed.connect(this._sync, this);
    this._sync();
  }

  /**
   * The notifier of each endpoint's model.
   */
  get notifiers(): ReadonlyMap<GlueSessionsModel, StarvationNotifier> {
    return this._notifiers;
  }

  /**
   * Whether notifications are on (a setting), for every endpoint.
   */
  get enabled(): boolean {
    return this._enabled;
  }
  set enabled(value: boolean) {
    this._enabled = value;
    this._notifiers.forEach(n => (n.enabled = value));
  }

  /**
   * Look again, e.g. when the kernels of this server changed.
   */
  check(): void {
    this._notifiers.forEach(n => n.check());
  }

  protected onDispose(): void {
    this._endpoints.changed.disconnect(this._sync, this);
    this._notifiers.forEach(n => n.dispose());
    this._notifiers.clear();
  }

  private _sync(): void {
    const configured = this._endpoints.configured;
    const current = new Set<GlueSessionsModel>();
    for (const entry of this._endpoints.entries) {
      const model = entry.model;
      current.add(model);
      if (this._notifiers.has(model)) {
        continue;
      }
      const endpoint = model === configured ? null : entry.id;
      this._notifiers.set(
        model,
        new StarvationNotifier({
          model,
          onShow: sessionId => this._onShow(sessionId, endpoint),
          enabled: this._enabled,
          isLive: this._isLive
        })
      );
    }
    for (const [model, notifier] of [...this._notifiers]) {
      if (!current.has(model)) {
        // Its endpoint is no longer polled: withdraw what it shows.
        notifier.enabled = false;
        notifier.dispose();
        this._notifiers.delete(model);
      }
    }
  }

  private _endpoints: EndpointsModel;
  private _onShow: (sessionId: number, endpoint: string | null) => void;
  private _isLive: ((kernelId: string | null) => boolean) | undefined;
  private _notifiers = new Map<GlueSessionsModel, StarvationNotifier>();
  private _enabled = true;
}

/**
 * A namespace for EndpointNotifiers statics.
 */
export namespace EndpointNotifiers {
  /**
   * Options of the notifiers.
   */
  export interface IOptions {
    /** Every endpoint's model. */
    endpoints: EndpointsModel;
    /**
     * Open the panel on a session (of `endpoint`; null: the configured one).
     */
    onShow: (sessionId: number, endpoint: string | null) => void;
    /** See StarvationNotifier.IOptions.isLive. */
    isLive?: (kernelId: string | null) => boolean;
  }
}
