import { starvationNotices } from '../hints/notices';
import { StarvationTracker } from '../hints/tracker';
import { Session } from '../snapshot';
import {
  aSnapshot,
  BOB_KERNEL,
  EXAMPLE_ANSWER,
  exampleAnswer,
  RECORDED_NOW,
  withBob
} from './fixtures';

describe('StarvationTracker', () => {
  it('not for sessions the caller does not accept (a kernel it does not know)', () => {
    expect(
      starvationNotices(aSnapshot(EXAMPLE_ANSWER), RECORDED_NOW, () => false)
    ).toEqual([]);
    const tracker = new StarvationTracker();
    const unknown = (s: Session) => s.notebook?.kernel_id !== BOB_KERNEL;
    expect(
      tracker.update(aSnapshot(EXAMPLE_ANSWER), RECORDED_NOW, unknown).show
    ).toEqual([]);
    expect(
      tracker.update(aSnapshot(EXAMPLE_ANSWER), RECORDED_NOW).show
    ).toHaveLength(1);
    // The kernel goes away: the notification is withdrawn.
    expect(
      tracker.update(aSnapshot(EXAMPLE_ANSWER), RECORDED_NOW, unknown).withdraw
    ).toEqual(['1:0']);
  });

  it('notifies once per starvation and set of culprits', () => {
    const tracker = new StarvationTracker();
    let r = tracker.update(aSnapshot(EXAMPLE_ANSWER), RECORDED_NOW);
    expect(r.show.map(n => n.key)).toEqual(['1:0']);
    expect(r.withdraw).toEqual([]);

    // Nothing changed (even the time): nothing new.
    r = tracker.update(aSnapshot(EXAMPLE_ANSWER), RECORDED_NOW + 60000);
    expect(r).toEqual({ show: [], withdraw: [] });

    // The endpoint goes down: no news, no change.
    const down = exampleAnswer();
    down.endpoint!.reachable = false;
    down.starvation = [];
    expect(tracker.update(aSnapshot(down), RECORDED_NOW)).toEqual({
      show: [],
      withdraw: []
    });
    expect(tracker.update(aSnapshot(EXAMPLE_ANSWER), RECORDED_NOW)).toEqual({
      show: [],
      withdraw: []
    });

    // The culprits change: withdraw and notify anew.
    const more = exampleAnswer();
    more.sessions![1].starved_by = [0, 2];
    more.sessions![1].culprits = [0, 2];
    r = tracker.update(aSnapshot(more), RECORDED_NOW);
    expect(r.withdraw).toEqual(['1:0']);
    expect(r.show.map(n => n.key)).toEqual(['1:0,2']);

    // The starvation ends, then starts again.
    const fed = withBob({
      status: 'ok',
      executors: 4,
      starved_by: [],
      culprits: []
    });
    r = tracker.update(aSnapshot(fed), RECORDED_NOW);
    expect(r).toEqual({ show: [], withdraw: ['1:0,2'] });
    expect(tracker.active.size).toBe(0);
    r = tracker.update(aSnapshot(EXAMPLE_ANSWER), RECORDED_NOW);
    expect(r.show.map(n => n.key)).toEqual(['1:0']);

    tracker.reset();
    expect(
      tracker.update(aSnapshot(EXAMPLE_ANSWER), RECORDED_NOW).show
    ).toHaveLength(1);
    expect(tracker.update(null, RECORDED_NOW)).toEqual({
      show: [],
      withdraw: []
    });
  });
});
