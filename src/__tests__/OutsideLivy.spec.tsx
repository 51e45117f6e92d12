import { render } from '@testing-library/react';
import * as React from 'react';

import { OutsideLivyList } from '../components/OutsideLivy';
import { aSnapshot, ORPHANED, RECORDED_NOW } from './fixtures';
import { viewOfSnapshot } from './view';

describe('Held outside Livy', () => {
  it('lists each application with its id, user, queue, containers and since when', () => {
    const { container } = render(
      <OutsideLivyList
        apps={ORPHANED.outside_livy}
        sessions={ORPHANED.sessions}
        now={RECORDED_NOW}
      />
    );
    const section = container.querySelector('section')!;
    expect(section.getAttribute('aria-label')).toBe('Held outside Livy');
    expect(section.querySelector('h3')?.textContent).toBe(
      'Held outside Livy 1'
    );
    const [app] = Array.from(
      section.querySelectorAll<HTMLElement>('.jp-GlueSessions-outsideApp')
    );
    expect(
      app.querySelector('.jp-GlueSessions-outsideApp-name')?.textContent
    ).toBe('nightly etl');
    expect(app.querySelector('.jp-GlueSessions-appId')?.textContent).toBe(
      'application_1796520293603_0003'
    );
    const meta = Array.from(
      app.querySelectorAll('.jp-GlueSessions-row-meta span')
    ).map(s => s.textContent);
    expect(meta).toEqual([
      'user etl',
      'queue default',
      'SPARK',
      '5 containers (4 executors and its AM)',
      '5 cores',
      '5 GiB',
      expect.stringMatching(/^since \d\d:\d\d \(30 min\)$/)
    ]);
    expect(
      app.querySelector('.jp-GlueSessions-outsideApp-waiting')?.textContent
    ).toBe('Above its fair share of 2.5 while livy-session-5 waits');
    // YARN's page, never a button: the extension does not stop it.
    const link = app.querySelector('a')!;
    expect(link.textContent).toBe('YARN page');
    expect(link.getAttribute('href')).toBe(
      'http://localhost:8088/cluster/app/application_1796520293603_0003'
    );
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(section.querySelector('button')).toBeNull();
  });

  it('shows untrusted text as text, and links only http(s)', () => {
    const apps = aSnapshot({
      outside_livy: [
        {
          app_id: 'application_1_0001',
          name: '<img src=x onerror=alert(1)>',
          user: '<b>eve</b>',
          url: 'javascript:alert(1)'
        },
        { app_id: 'application_1_0002', url: 'ftp://host/x' },
        { app_id: 'application_1_0003', url: 'https://rm:8090/app/3' }
      ]
    }).outside_livy;
    const { container } = render(
      <OutsideLivyList apps={apps} sessions={[]} now={RECORDED_NOW} />
    );
    expect(container.querySelector('img, b')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(container.textContent).toContain('user <b>eve</b>');
    expect(container.textContent).toContain('unnamed application');
    expect(
      Array.from(container.querySelectorAll('a')).map(a =>
        a.getAttribute('href')
      )
    ).toEqual(['https://rm:8090/app/3']);
  });

  it('is not shown when nothing is held outside Livy', () => {
    const { container } = render(
      <OutsideLivyList apps={[]} sessions={[]} now={RECORDED_NOW} />
    );
    expect(container.innerHTML).toBe('');
  });

  it('is in the panel, after the sessions and before the advice', async () => {
    const { view, close } = await viewOfSnapshot(ORPHANED);
    const labels = Array.from(
      view.container.querySelectorAll('section[aria-label]')
    ).map(s => s.getAttribute('aria-label'));
    expect(labels.slice(labels.indexOf('Sessions'))).toEqual([
      'Sessions',
      'Held outside Livy',
      'Advice'
    ]);
    close();
  });
});
