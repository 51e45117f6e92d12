/**
 * The state of the starvation notifications: which are shown, which to
 * withdraw. The only stateful part of the hints' logic.
 */
import { Session, Snapshot } from '../snapshot';
import { IStarvationNotice, starvationNotices } from './notices';

/**
 * Decides when to notify: once per starvation and set of culprits.
 *
 * `update()` answers the notices to show now, and the keys of those to
 * withdraw (the starvation ended, or its culprits changed). Snapshots taken
 * while the endpoint does not answer change nothing (the starvation list is
 * empty then, which says nothing about the truth).
 */
export class StarvationTracker {
  /**
   * The keys of the starvations notified and still going on.
   */
  get active(): ReadonlyMap<number, string> {
    return this._active;
  }

  update(
    snapshot: Snapshot | null,
    now: number,
    accept?: (session: Session) => boolean
  ): { show: IStarvationNotice[]; withdraw: string[] } {
    if (!snapshot || snapshot.endpoint?.reachable === false) {
      return { show: [], withdraw: [] };
    }
    const notices = starvationNotices(snapshot, now, accept);
    const current = new Map(notices.map(n => [n.sessionId, n]));
    const withdraw: string[] = [];
    for (const [id, key] of [...this._active]) {
      const notice = current.get(id);
      if (!notice || notice.key !== key) {
        withdraw.push(key);
        this._active.delete(id);
      }
    }
    const show = notices.filter(n => !this._active.has(n.sessionId));
    show.forEach(n => this._active.set(n.sessionId, n.key));
    return { show, withdraw };
  }

  /**
   * Forget everything (e.g. when notifications are turned off).
   */
  reset(): void {
    this._active.clear();
  }

  private _active = new Map<number, string>();
}
