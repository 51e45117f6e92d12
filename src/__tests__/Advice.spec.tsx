import { render } from '@testing-library/react';
import * as React from 'react';

import { AdviceCard } from '../components/Advice';
import { ORPHANED } from './fixtures';
import { viewOfSnapshot } from './view';

describe('advice about no session, with no cell', () => {
  it('shows what to do and why, and nothing to copy', () => {
    const outside = ORPHANED.advice.find(
      a => a.session === null && a.configure === null
    )!;
    const { container } = render(
      <AdviceCard advice={outside} about={null} own={false} />
    );
    expect(container.querySelector('.jp-GlueSessions-advice-for')).toBeNull();
    expect(
      container.querySelector('.jp-GlueSessions-advice-text')?.textContent
    ).toBe(
      'Ask who runs application_1796520293603_0003 (nightly etl, user etl, queue default) to release its 5 containers, or end it in YARN.'
    );
    expect(
      container.querySelector('.jp-GlueSessions-advice-reason')?.textContent
    ).toMatch(/glue-sessions never stops it; YARN's page: http/);
    expect(container.querySelector('pre, button, a')).toBeNull();
    expect(container.querySelector('.jp-GlueSessions-advice-hint')).toBeNull();
  });

  it("says an orphan is orphaned, not the user's notebook", async () => {
    const { view, close } = await viewOfSnapshot(ORPHANED);
    const cards = Array.from(
      view.container.querySelectorAll('.jp-GlueSessions-advice')
    );
    // The server's first advice: stop the orphan; then the others.
    expect(
      cards[0].querySelector('.jp-GlueSessions-advice-for')?.textContent
    ).toBe('livy-session-4 (dana, forecast.ipynb) · orphaned');
    expect(
      cards[0].querySelector('.jp-GlueSessions-advice-text')?.textContent
    ).toBe(
      'Stop livy-session-4: nobody uses it, and it holds 1 executor and its driver.'
    );
    // Advice about no session: no "for" line, and hovering it highlights nothing.
    const general = cards.filter(
      c => !c.querySelector('.jp-GlueSessions-advice-for')
    );
    expect(general).toHaveLength(2);
    close();
  });
});
