import { render } from '@testing-library/react';
import * as React from 'react';

import { StarvationList } from '../components/Starvation';
import { starvationSentences } from '../words/sentences';
import { CANNOT_START, ORPHANED, RECORDED_NOW } from './fixtures';

function chips(snapshot: typeof ORPHANED): string[] {
  const { container } = render(
    <StarvationList
      items={starvationSentences(snapshot, RECORDED_NOW)}
      sessions={snapshot.sessions}
      highlight={null}
      onHover={() => undefined}
      onSelect={() => undefined}
    />
  );
  return Array.from(
    container.querySelectorAll('.jp-GlueSessions-edge > *')
  ).map(
    e =>
      `${e.classList.contains('is-outside') ? 'outside:' : ''}${e.textContent}`
  );
}

describe('who is starving whom', () => {
  it('draws the applications outside Livy among the holders', () => {
    expect(chips(ORPHANED)).toEqual([
      'livy-session-5',
      'starved by',
      'livy-session-4',
      'outside:nightly etl'
    ]);
  });

  it('draws a session that cannot start like any starving one', () => {
    expect(chips(CANNOT_START)).toEqual([
      'livy-session-1',
      'starved by',
      'livy-session-0'
    ]);
  });
});
