import { act, fireEvent, render } from '@testing-library/react';
import * as React from 'react';

import { Timeline } from '../components/Timeline';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  layerAt,
  sampleAt,
  timelineGeometry
} from '../geometry/timeline';
import { aHistory, someSessions } from './fixtures';

// Two sessions at 5 s, a gap marker at 1015, a slow silence before 1080.
const HISTORY = aHistory({
  poll_interval: 5,
  times: [1000, 1005, 1010, 1015, 1080, 1085],
  series: {
    '1': [null, 0, 0, null, 0, 2],
    '0': [3, 6, 6, null, 6, 4]
  },
  capacity: [6, 6, 6, null, 6, 6],
  starving: { '1': [[1, 3]] }
});

/** Numbers of an SVG path's points, as [x, y] pairs. */
function points(path: string): number[][] {
  return path
    .split(/[MLZ]/)
    .filter(Boolean)
    .map(p => p.split(',').map(Number));
}

describe('timelineGeometry', () => {
  it('stacks the sessions by id, breaks at gaps and draws the capacity', () => {
    const g = timelineGeometry(HISTORY)!;
    expect(g.layers.map(l => l.id)).toEqual([0, 1]);
    expect(g.maxValue).toBe(6);
    expect(g.xs[0]).toBe(0);
    expect(g.xs[5]).toBe(CHART_WIDTH);
    expect(g.gap).toEqual([false, false, false, true, false, false]);
    // Session 0: two polygons (before and after the gap), from the bottom.
    const zero = g.layers[0].path;
    expect(zero.match(/M/g)).toHaveLength(2);
    const first = points(zero.split('Z')[0]);
    // Top edge at 3, 6, 6 of 6; bottom edge at 0.
    const y = (v: number) =>
      Math.round(CHART_HEIGHT - (v / g.scale) * CHART_HEIGHT);
    expect(g.scale).toBeGreaterThan(6); // room above the capacity line
    expect(first.slice(0, 3).map(p => p[1])).toEqual([y(3), y(6), y(6)]);
    expect(first.slice(3).every(p => p[1] === CHART_HEIGHT)).toBe(true);
    // Session 1 only holds after the gap, on top of session 0 (4 .. 6).
    const one = points(g.layers[1].path);
    expect(g.layers[1].path.match(/M/g)).toHaveLength(1);
    const ys = one.map(p => p[1]);
    expect(Math.min(...ys)).toBe(y(6));
    expect(Math.max(...ys)).toBe(y(4));
    // The capacity: two lines, none through the gap.
    expect(g.capacityPath.match(/M/g)).toHaveLength(2);
    expect(g.capacityPath).not.toContain(`${g.xs[3]},`);
    // Starving at samples 1 and 2: one band from half way to 0 to half way to the gap.
    expect(g.starvingAt.map(s => s.length)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(g.starvingBands).toHaveLength(1);
    const [x, w] = g.starvingBands[0];
    expect(Math.abs(x - (g.xs[0] + g.xs[1]) / 2)).toBeLessThanOrEqual(1);
    expect(x + w).toBeLessThan(g.xs[3]);
  });

  it('finds the moment and the band under the pointer', () => {
    const g = timelineGeometry(HISTORY)!;
    expect(sampleAt(g, -5)).toBe(0);
    expect(sampleAt(g, g.xs[4] + 0.1)).toBe(4);
    expect(sampleAt(g, CHART_WIDTH + 5)).toBe(5);
    expect(layerAt(g, 5, CHART_HEIGHT - 1)).toBe(0);
    expect(layerAt(g, 5, CHART_HEIGHT * 0.2)).toBe(1);
    expect(layerAt(g, 3, 1)).toBeNull();
  });

  it('accepts an older history (no capacity, no starving) and nothing', () => {
    const g = timelineGeometry(
      aHistory({
        poll_interval: 5,
        times: [0, 5, 100],
        series: { '2': [1, 2, 2] }
      })
    )!;
    expect(g.capacityPath).toBe('');
    expect(g.starvingBands).toEqual([]);
    // 5 -> 100 is a silence longer than 2 polls: two runs.
    expect(g.layers[0].path.match(/M/g)).toHaveLength(2);
    expect(timelineGeometry(null)).toBeNull();
    expect(timelineGeometry(aHistory({ times: [] }))).toBeNull();
  });
});

describe('Timeline', () => {
  const sessions = someSessions([
    { id: 0, name: 'livy-session-0', owner: 'alice' },
    { id: 1, name: '<img src=x onerror=alert(1)>', owner: 'bob' }
  ]);

  function renderOpen(onSelect: (id: number) => void = () => undefined) {
    window.localStorage.setItem('glue-sessions:timeline-open', 'true');
    return render(
      <Timeline
        history={HISTORY}
        sessions={sessions}
        selected={null}
        onSelect={onSelect}
      />
    );
  }

  afterEach(() => window.localStorage.clear());

  it('is collapsed until opened, and remembers it', () => {
    const { container, unmount } = render(
      <Timeline
        history={HISTORY}
        sessions={sessions}
        selected={null}
        onSelect={() => undefined}
      />
    );
    expect(container.querySelector('svg')).toBeNull();
    const toggle = container.querySelector('button')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(
      container.querySelectorAll('path.jp-GlueSessions-tl-layer')
    ).toHaveLength(2);
    expect(window.localStorage.getItem('glue-sessions:timeline-open')).toBe(
      'true'
    );
    unmount();
  });

  it('reads a moment on hover: sessions, capacity, who starved (as text)', () => {
    const { container } = renderOpen();
    const svg = container.querySelector('svg')!;
    // jsdom has no layout: client coordinates are drawing units.
    fireEvent.mouseMove(svg, { clientX: 0.5 * (0 + 0), clientY: 10 });
    act(() => undefined);
    fireEvent.mouseMove(svg, { clientX: (CHART_WIDTH * 5) / 85, clientY: 10 });
    const readout = container.querySelector('.jp-GlueSessions-tl-readout')!;
    expect(readout.textContent).toContain('capacity 6');
    expect(readout.textContent).toContain('livy-session-0 (alice): 6');
    expect(readout.textContent).toContain(
      'Starving: <img src=x onerror=alert(1)> (bob)'
    );
    expect(container.querySelector('img')).toBeNull();
    fireEvent.mouseLeave(svg);
    expect(container.querySelector('.jp-GlueSessions-tl-readout')).toBeNull();
  });

  it('selects the session whose band is clicked', () => {
    const selected: number[] = [];
    const { container } = renderOpen(id => selected.push(id));
    const svg = container.querySelector('svg')!;
    fireEvent.click(svg, { clientX: CHART_WIDTH, clientY: 0.2 * CHART_HEIGHT });
    fireEvent.click(svg, { clientX: CHART_WIDTH, clientY: CHART_HEIGHT - 1 });
    fireEvent.click(svg, {
      clientX: (CHART_WIDTH * 15) / 85,
      clientY: 0.2 * CHART_HEIGHT
    }); // the gap
    expect(selected).toEqual([1, 0]);
  });

  it('moves the read moment with the arrow keys', () => {
    const { container } = renderOpen();
    const svg = container.querySelector('svg')!;
    expect(svg.getAttribute('tabindex')).toBe('0');
    fireEvent.keyDown(svg, { key: 'ArrowLeft' }); // from the last sample
    const head = () =>
      container.querySelector('.jp-GlueSessions-tl-readoutHead')!.textContent;
    expect(head()).toContain('capacity 6');
    fireEvent.keyDown(svg, { key: 'ArrowLeft' });
    expect(head()).toContain('not observed');
    fireEvent.keyDown(svg, { key: 'Home' });
    expect(
      container.querySelector('.jp-GlueSessions-tl-readout')!.textContent
    ).toContain('livy-session-0 (alice): 3');
    fireEvent.keyDown(svg, { key: 'Escape' });
    expect(container.querySelector('.jp-GlueSessions-tl-readout')).toBeNull();
  });
});
