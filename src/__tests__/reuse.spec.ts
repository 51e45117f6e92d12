import example from '../../docs/snapshot-example.json';
import { reuseUnchanged } from '../model/reuse';
import { modelFor } from './fixtures';
import { fakeServer } from './utils';

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('reuseUnchanged', () => {
  it('keeps every unchanged part of a new answer', () => {
    const before = copy(example) as any;
    const next = copy(example) as any;
    next.endpoint.polled_at = '2026-11-24T10:00:09Z';
    next.sessions[0].running_tasks = 71;
    const kept = reuseUnchanged(before, next);
    expect(kept).not.toBe(before);
    expect(kept.endpoint).not.toBe(before.endpoint);
    expect(kept.endpoint.problems).toBe(before.endpoint.problems);
    expect(kept.cluster).toBe(before.cluster);
    expect(kept.sessions).not.toBe(before.sessions);
    expect(kept.sessions[0]).not.toBe(before.sessions[0]);
    expect(kept.sessions[0].running_tasks).toBe(71);
    expect(kept.sessions[0].starving).toBe(before.sessions[0].starving);
    expect(kept.sessions[1]).toBe(before.sessions[1]);
    expect(kept.advice).toBe(before.advice);
    expect(kept).toEqual(next);
  });

  it('answers the previous value when nothing changed', () => {
    const before = copy(example);
    expect(reuseUnchanged(before, copy(example))).toBe(before);
    expect(reuseUnchanged(null, before)).toBe(before);
    expect(reuseUnchanged(1, 2)).toBe(2);
    expect(reuseUnchanged(NaN, NaN)).toBeNaN();
    expect(reuseUnchanged([1, 2], [1, 2, 3])).toEqual([1, 2, 3]);
    expect(reuseUnchanged({ a: 1 }, [1])).toEqual([1]);
    const obj = { a: 1, b: { c: 2 } };
    expect(reuseUnchanged(obj, { a: 1, b: { c: 2 }, d: undefined })).not.toBe(
      obj
    );
  });

  it('matches sessions by id when they move, and sees removals', () => {
    const a = { id: 1, x: 1 };
    const b = { id: 2, x: 2 };
    const moved = reuseUnchanged([a, b], [copy(b), copy(a)]);
    expect(moved[0]).toBe(b);
    expect(moved[1]).toBe(a);
    const removed = reuseUnchanged([a, b], [copy(a)]);
    expect(removed).toEqual([a]);
    expect(removed[0]).toBe(a);
    const added = reuseUnchanged([a], [copy(a), { id: 3, x: 3 }]);
    expect(added[0]).toBe(a);
    expect(added).toHaveLength(2);
  });

  it('is what the model keeps between polls', async () => {
    const changed = copy(example) as any;
    changed.endpoint.polled_at = '2026-11-24T10:00:09Z';
    changed.sessions[0].pending_tasks = 1;
    const { settings } = fakeServer({
      snapshot: [
        { status: 200, body: example, headers: { ETag: '"a"' } },
        { status: 200, body: changed, headers: { ETag: '"b"' } }
      ]
    });
    const model = modelFor(settings);
    const watch = model.watch();
    await model.refresh();
    const first = model.snapshot!;
    expect(model.receivedAt).not.toBeNull();
    await model.refresh();
    const second = model.snapshot!;
    expect(second).not.toBe(first);
    expect(second.sessions![1]).toBe(first.sessions![1]);
    expect(second.sessions![0]).not.toBe(first.sessions![0]);
    expect(second.sessions![0].pending_tasks).toBe(1);
    watch.dispose();
    model.dispose();
  });
});
