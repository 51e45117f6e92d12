import { Notification } from '@jupyterlab/apputils';

import { copyText } from '../components/CopyButton';
import { GlueSessionsModel } from '../model/model';
import { Snapshot } from '../snapshot';
import { IStarvationNotice } from './notices';
import { StarvationTracker } from './tracker';
import { Disposable } from '../model/disposable';

/**
 * Tells the user, with a JupyterLab notification, when one of their own
 * sessions (driven by a notebook of this Jupyter server) starves.
 *
 * Once per starvation: a new notification only when the starvation ends and
 * starts again, or when its culprits change. The notification is withdrawn
 * when the starvation it is about ends.
 */
export class StarvationNotifier extends Disposable {
  constructor({
    model,
    onShow,
    enabled = true,
    isLive = () => true
  }: StarvationNotifier.IOptions) {
    super();
    this._model = model;
    this._onShow = onShow;
    this._enabled = enabled;
    this._isLive = isLive;
    model.snapshotChanged.connect(this._onSnapshot, this);
    // A starvation already in the snapshot is told at once.
    this.check();
  }

  /**
   * Look again, e.g. when the kernels of this server changed.
   */
  check(): void {
    if (this._model.snapshot) {
      this._onSnapshot(this._model, this._model.snapshot);
    }
  }

  /**
   * Whether notifications are on (a setting).
   */
  get enabled(): boolean {
    return this._enabled;
  }
  set enabled(value: boolean) {
    const was = this._enabled;
    this._enabled = value;
    if (value && !was) {
      this.check();
    } else if (!value && was) {
      // Turned off: withdraw what is shown, and forget it.
      this._tracker.reset();
      this._ids.forEach(id => Notification.dismiss(id));
      this._ids.clear();
    }
  }

  protected onDispose(): void {
    this._model.snapshotChanged.disconnect(this._onSnapshot, this);
  }

  private _onSnapshot(_: GlueSessionsModel, snapshot: Snapshot): void {
    if (!this._enabled) {
      return;
    }
    const { show, withdraw } = this._tracker.update(
      snapshot,
      Date.now(),
      session => this._isLive(session.notebook?.kernel_id ?? null)
    );
    for (const key of withdraw) {
      const id = this._ids.get(key);
      if (id) {
        Notification.dismiss(id);
      }
      this._ids.delete(key);
    }
    for (const notice of show) {
      this._ids.set(notice.key, this._notify(notice));
    }
  }

  private _notify(notice: IStarvationNotice): string {
    const actions: Notification.IAction[] = [
      {
        label: 'Show',
        caption: 'Show this session in Spark executor sharing',
        displayType: 'accent',
        callback: () => this._onShow(notice.sessionId)
      }
    ];
    const fix = notice.fix;
    if (fix) {
      actions.push({
        label: 'Copy fix',
        caption: fix,
        callback: event => {
          // Keep the notification: the user may still want to "Show".
          event.preventDefault();
          void copyText(fix);
        }
      });
    }
    return Notification.warning(notice.message, {
      autoClose: false,
      actions
    });
  }

  private readonly _model: GlueSessionsModel;
  private readonly _onShow: (sessionId: number) => void;
  private readonly _isLive: (kernelId: string | null) => boolean;
  private _enabled: boolean;
  private _tracker = new StarvationTracker();
  private _ids = new Map<string, string>();
}

/**
 * A namespace for StarvationNotifier statics.
 */
export namespace StarvationNotifier {
  /**
   * Options of the notifier.
   */
  export interface IOptions {
    /** The shared model. */
    model: GlueSessionsModel;
    /** Open the panel on a session. */
    onShow: (sessionId: number) => void;
    /** Whether notifications are on (default true). */
    enabled?: boolean;
    /**
     * Whether a kernel of the server runs, as this page knows (default: all
     * do). A mapping to a kernel this page does not know is not notified.
     */
    isLive?: (kernelId: string | null) => boolean;
  }
}
