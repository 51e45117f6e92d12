import { IDisposable } from '@lumino/disposable';

/**
 * What the panel's disposable objects share: `dispose()` runs their own
 * `onDispose()` once, and `isDisposed` says whether it ran.
 */
export abstract class Disposable implements IDisposable {
  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.onDispose();
  }

  /**
   * Release what this holds; called once, by `dispose()`.
   */
  protected abstract onDispose(): void;

  private _isDisposed = false;
}
