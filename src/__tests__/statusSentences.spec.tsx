import { renderHook } from '@testing-library/react';

import { capacity } from '../queries/cluster';
import { useStatusSentences } from '../components/statusSentences';
import { ISentenceContext } from '../words/sentences';
import { Session, Snapshot } from '../snapshot';
import { aSnapshot, recordedAnswer, RECORDED_NOW } from './fixtures';

function contextOf(snapshot: Snapshot): ISentenceContext {
  return {
    outside: snapshot.outside_livy,
    capacity: capacity(snapshot.cluster),
    starvation: snapshot.starvation
  };
}

function sentences(first: Snapshot) {
  return renderHook(
    ({ snapshot, now }: { snapshot: Snapshot; now: number }) => {
      const of = useStatusSentences(
        snapshot.sessions,
        now,
        contextOf(snapshot)
      );
      return (id: number) =>
        of(snapshot.sessions.find(s => s.id === id) as Session);
    },
    { initialProps: { snapshot: first, now: RECORDED_NOW } }
  );
}

describe('useStatusSentences', () => {
  it("follows what a cannot-start session's holders hold", () => {
    const answer = recordedAnswer('snapshot-cannot-start.json');
    const hook = sentences(aSnapshot(answer));
    expect(hook.result.current(1)).toMatch(/livy-session-0 holds 5 of 5$/);
    // The holder gives one back: the blocked session itself is unchanged.
    answer.sessions![0].executors = 4;
    hook.rerender({ snapshot: aSnapshot(answer), now: RECORDED_NOW });
    expect(hook.result.current(1)).toMatch(/livy-session-0 holds 4 of 5$/);
  });

  it('follows the applications outside Livy and what an orphan holds', () => {
    const answer = recordedAnswer('snapshot-orphaned.json');
    const first = aSnapshot(answer);
    const hook = sentences(first);
    expect(hook.result.current(5)).toMatch(
      /\(nightly etl, user etl\) outside Livy$/
    );
    expect(hook.result.current(4)).toBe(
      'Orphaned for 12 min, holding 1 executor and its driver, starving livy-session-5'
    );
    // The same lists (the model keeps unchanged parts), new values.
    const next = (changed: Snapshot, was: Snapshot) => {
      changed.sessions.forEach((s, i) => {
        s.starving = was.sessions[i].starving;
        s.starved_by = was.sessions[i].starved_by;
        s.outside_culprits = was.sessions[i].outside_culprits;
      });
      return changed;
    };
    // The orphan gives its executor back.
    answer.sessions![0].executors = 0;
    const second = next(aSnapshot(answer), first);
    second.outside_livy = first.outside_livy;
    hook.rerender({ snapshot: second, now: RECORDED_NOW });
    expect(hook.result.current(4)).toBe(
      'Orphaned for 12 min, holding its driver, starving livy-session-5'
    );
    // The application outside Livy is renamed.
    answer.outside_livy![0].name = 'hourly etl';
    hook.rerender({
      snapshot: next(aSnapshot(answer), second),
      now: RECORDED_NOW
    });
    expect(hook.result.current(5)).toMatch(
      /\(hourly etl, user etl\) outside Livy$/
    );
  });
});
