import { render } from '@testing-library/react';
import * as React from 'react';

import { ClusterBar } from '../components/Bars';
import { CANNOT_START, EXAMPLE, ORPHANED } from './fixtures';

function clusterOf(snapshot: typeof ORPHANED) {
  return render(
    <ClusterBar
      cluster={snapshot.cluster}
      sessions={snapshot.sessions}
      outside={snapshot.outside_livy}
      highlight={null}
    />
  ).container;
}

describe('the cluster bar', () => {
  it('names the capacity held outside Livy', () => {
    const c = clusterOf(ORPHANED);
    expect(c.querySelector('.jp-GlueSessions-cluster-count')?.textContent).toBe(
      '5 of 5 executors in use, 4 outside Livy'
    );
    const segments = Array.from(
      c.querySelectorAll<HTMLElement>('.jp-GlueSessions-cluster-seg')
    );
    expect(segments.map(s => s.textContent)).toEqual([
      '#4 dana',
      'nightly etl'
    ]);
    const outside = segments[1];
    expect(outside.classList).toContain('is-outside');
    expect(outside.style.width).toBe('80%');
    expect(outside.getAttribute('title')).toBe(
      'application_1796520293603_0003 (nightly etl, user etl) outside Livy: 4 executors'
    );
    expect(
      c
        .querySelector('.jp-GlueSessions-cluster-track')
        ?.getAttribute('aria-label')
    ).toBe(
      '5 of 5 executors in use: livy-session-4 1, nightly etl outside Livy 4'
    );
  });

  it('is as before when Livy holds everything', () => {
    for (const snapshot of [EXAMPLE, CANNOT_START]) {
      const c = clusterOf(snapshot);
      expect(c.querySelector('.jp-GlueSessions-cluster-outside')).toBeNull();
      expect(c.querySelector('.is-outside')).toBeNull();
    }
    expect(
      clusterOf(CANNOT_START).querySelector('.jp-GlueSessions-cluster-details')
        ?.textContent
    ).toBe('1 worker · 1 core/executor · capacity from yarn');
  });
});
