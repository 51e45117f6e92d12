import { renderHook } from '@testing-library/react';
import { ISparklineData, useSparklines } from '../perf/sparklines';
import { History } from '../snapshot';
import { sparklinePaths } from '../geometry/sparkline';
import { aHistory, someSessions } from './fixtures';

describe('useSparklines', () => {
  const sessions = someSessions([{ id: 0 }, { id: 1 }, { id: 2 }]);
  const history = (end: number, last: number): History => {
    const times = [...Array(20).keys()].map(i => end - (19 - i) * 5);
    return aHistory({
      poll_interval: 5,
      times,
      series: {
        '0': times.map(() => 4),
        '1': times.map((_, i) => (i === 19 ? last : 0)),
        '2': times.map(() => null)
      }
    });
  };

  it('keeps a drawing that did not change across polls', () => {
    const { result, rerender } = renderHook(
      ({ h }: { h: History | null }) => useSparklines(h, sessions, 9, 10),
      { initialProps: { h: history(1000, 0) as History | null } }
    );
    const first = result.current;
    expect([...first.keys()]).toEqual([0, 1]);
    expect(first.get(0)?.label).toBe(
      'Executors over the last 10 min: now 4, peak 4'
    );

    // One poll later: the steady session keeps its object, the other changes.
    rerender({ h: history(1005, 3) });
    const second = result.current;
    expect(second.get(0)).toBe(first.get(0));
    expect(second.get(1)).not.toBe(first.get(1));
    expect(second.get(1)?.label).toBe(
      'Executors over the last 10 min: now 3, peak 3'
    );

    // The same values again, at another time: kept once more.
    rerender({ h: history(1010, 3) });
    expect(result.current.get(0)).toBe(first.get(0));
    expect(result.current.get(1)).toBe(second.get(1));

    rerender({ h: null });
    expect(result.current.size).toBe(0);
  });

  it('draws as the sparkline helpers do', () => {
    const { result } = renderHook(() =>
      useSparklines(history(1000, 9), sessions, 9, 10)
    );
    const data = result.current.get(1) as ISparklineData;
    const paths = sparklinePaths(data.frame, data.values);
    expect(paths).toHaveLength(1);
    expect(paths[0].endsWith('72.0,1.0')).toBe(true);
    // The window spans the 10 minutes asked for.
    expect(data.frame.span).toBe(600);
  });
});
