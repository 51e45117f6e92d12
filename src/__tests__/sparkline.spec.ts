import { historyGap, sparklineFrame, sparklinePaths } from '../sparkline';
import { aHistory } from './fixtures';

describe('sparklines', () => {
  const history = aHistory({
    poll_interval: 5,
    times: [100, 105, 110, 115, 120, 125],
    series: { '0': [0, 3, null, 9, 9, 9], '1': [null, null, 0, 0] }
  });
  const box = { width: 50, height: 10, max: 9 };
  const series = (id: number) => history.series[String(id)];

  it('takes the samples of the window', () => {
    const last = sparklineFrame(history.times, { ...box, start: 115 });
    expect(last.first).toBe(3);
    expect(last.relative).toEqual([-10, -5, 0]);
    expect(last.x).toEqual(['0.0', '25.0', '50.0']);
    expect(sparklinePaths(last, series(0))).toEqual([
      '0.0,1.0 25.0,1.0 50.0,1.0'
    ]);
    // A short series is completed with unknown values when normalized, a
    // long one cut, and what is not a number is unknown.
    expect(series(1)).toEqual([null, null, 0, 0, null, null]);
    const odd = aHistory({ times: [1, 2], series: { '0': [1, 'x', 3] } });
    expect(odd.series['0']).toEqual([1, null]);
    expect(sparklineFrame([], box).x).toEqual([]);
  });

  it('breaks lines at unknown values', () => {
    const paths = sparklinePaths(sparklineFrame(history.times, box), series(0));
    expect(paths).toHaveLength(2);
    expect(paths[0].split(' ')).toHaveLength(2);
    expect(paths[1].split(' ')).toHaveLength(3);
    // The top of the scale is the top of the box, zero its bottom.
    expect(paths[0].startsWith('0.0,9.0')).toBe(true);
    expect(paths[1].endsWith('50.0,1.0')).toBe(true);
  });

  it('breaks lines at a gap: samples further apart than 2 poll intervals', () => {
    // Polled every 5 s, then slowly (nobody watched) from 110 to 170.
    const slow = aHistory({
      poll_interval: 5,
      times: [100, 105, 110, 170, 175, 180],
      series: { '0': [2, 2, 2, 4, 4, 4] }
    });
    const over = { width: 80, height: 10, max: 4, start: 100, end: 180 };
    expect(historyGap(slow)).toBe(10);
    expect(historyGap(aHistory({ poll_interval: null }))).toBeUndefined();
    // Without the gap rule the two sides would be joined by a line.
    expect(
      sparklinePaths(sparklineFrame(slow.times, over), slow.series['0'])
    ).toHaveLength(1);
    const gapped = { ...over, maxGap: historyGap(slow) };
    const paths = sparklinePaths(
      sparklineFrame(slow.times, gapped),
      slow.series['0']
    );
    expect(paths).toEqual([
      '0.0,5.0 5.0,5.0 10.0,5.0',
      '70.0,1.0 75.0,1.0 80.0,1.0'
    ]);
    // The server's gap marker (a time where every series is null) breaks it too.
    const marked = aHistory({
      poll_interval: 5,
      times: [100, 105, 110, 115, 170, 175, 180],
      series: { '0': [2, 2, 2, null, 4, 4, 4] }
    });
    expect(
      sparklinePaths(sparklineFrame(marked.times, over), marked.series['0'])
    ).toEqual(paths);
    // A lone sample between two gaps stays visible, as a single point does.
    const lone = sparklinePaths(
      sparklineFrame([100, 160, 220], {
        width: 120,
        height: 10,
        max: 3,
        start: 100,
        end: 220,
        maxGap: 10
      }),
      [1, 2, 3]
    );
    expect(lone).toHaveLength(3);
    expect(lone[1]).toBe('60.0,3.7 60.0,3.7');
  });

  it('draws a single point as a visible flat line', () => {
    const one = { width: 10, height: 10, max: 2 };
    expect(sparklinePaths(sparklineFrame([5], one), [1])).toEqual([
      '10.0,5.0 10.0,5.0'
    ]);
    expect(sparklinePaths(sparklineFrame([], one), [])).toEqual([]);
  });
});
