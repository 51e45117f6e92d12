import { IDisposable, IObservableDisposable } from '@lumino/disposable';

import { Disposable } from './disposable';

/**
 * What a watch can be held on: a GlueSessionsModel, or the EndpointsModel
 * (which watches every endpoint's model).
 */
export interface IWatchable {
  watch(options?: { history?: boolean }): IDisposable;
}

/**
 * A watch of the shared model that a widget holds while it wants the data
 * (the panel while shown, a hint while attached to a notebook with a
 * kernel): the model polls only while someone watches.
 */
export class ModelWatch extends Disposable {
  /**
   * @param owner The widget holding it: its disposal releases the watch.
   */
  constructor(
    private _model: IWatchable,
    owner: IObservableDisposable,
    private _options: { history?: boolean } = {}
  ) {
    super();
    owner.disposed.connect(() => this.dispose());
  }

  /**
   * Whether the watch is held.
   */
  get isHeld(): boolean {
    return this._watch !== null;
  }

  /**
   * Hold the watch (once) or release it.
   */
  hold(want: boolean): void {
    if (want && !this._watch) {
      this._watch = this._model.watch(this._options);
    } else if (!want && this._watch) {
      this._watch.dispose();
      this._watch = null;
    }
  }

  /**
   * Release the watch for good.
   */
  protected onDispose(): void {
    this.hold(false);
  }

  private _watch: IDisposable | null = null;
}
