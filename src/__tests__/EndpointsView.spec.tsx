import { act, fireEvent, render, within } from '@testing-library/react';
import * as React from 'react';

import { EndpointsView } from '../components/EndpointsView';
import { EndpointsModel } from '../endpoints';
import { forEndpoint } from '../request';
import { DEFAULT_SETTINGS } from '../settings';
import { IEndpoints, ISnapshot } from '../types';
import { ViewState } from '../viewstate';
import { exampleAnswer, modelFor } from './fixtures';
import { Answer, fakeServer } from './utils';

const CONFIGURED = 'http://127.0.0.1:8998';
/** Untrusted text from the server: shown as text, never as HTML. */
const B = 'http://livy-b:8998/<img src=x onerror=alert(1)>';

/** The configured endpoint: the example with its notebook moved elsewhere. */
function configuredSnapshot(): ISnapshot {
  const answer = exampleAnswer();
  answer.sessions![1].notebook = {
    path: 'other.ipynb',
    kernel_id: 'another-kernel',
    orphaned: false
  };
  return answer;
}

/** Endpoint B: the example (this kernel's session 1 starves there), one session only. */
function snapshotB(): ISnapshot {
  const answer = exampleAnswer();
  answer.endpoint!.url = B;
  answer.endpoint!.reachable = false;
  return answer;
}

function listing(others: string[], notPolled: string[] = []): Answer {
  const body: IEndpoints = {
    endpoints: [
      { id: CONFIGURED, configured: true, reachable: true },
      ...others.map(id => ({ id, configured: false, reachable: false }))
    ],
    max_endpoints: 2,
    not_polled: notPolled
  };
  return { status: 200, body };
}

/** Endpoints on a fake server, watched, after their first refresh. */
async function watchedEndpoints(list: Answer[], answerB?: Answer) {
  const { settings, calls } = fakeServer({
    snapshot: [{ status: 200, body: configuredSnapshot() }],
    [forEndpoint('snapshot', B)]: [
      answerB ?? { status: 200, body: snapshotB() }
    ],
    ...(list.length ? { endpoints: list } : {})
  });
  const endpoints = new EndpointsModel({
    serverSettings: settings,
    configured: modelFor(settings),
    autoStart: false
  });
  const watch = endpoints.watch();
  await endpoints.refresh();
  const close = () => {
    watch.dispose();
    endpoints.dispose();
  };
  return { endpoints, calls, close };
}

async function renderEndpoints(list: Answer[], answerB?: Answer) {
  const { endpoints, close } = await watchedEndpoints(list, answerB);
  const states = new Map<string | null, ViewState>();
  const viewStateOf = (id: string | null) => {
    if (!states.has(id)) {
      states.set(id, new ViewState());
    }
    return states.get(id)!;
  };
  const view = render(
    <EndpointsView
      endpoints={endpoints}
      viewStateOf={viewStateOf}
      settings={DEFAULT_SETTINGS}
      onOpenNotebook={() => undefined}
      onShowIdle={() => undefined}
    />
  );
  await act(async () => {
    await endpoints.refresh();
  });
  return {
    ...view,
    endpoints,
    viewStateOf,
    cleanup: () => {
      view.unmount();
      close();
    }
  };
}

describe('EndpointsView', () => {
  it('looks as always with one endpoint (a server without the API)', async () => {
    const { container, cleanup } = await renderEndpoints([]);
    expect(container.querySelectorAll('.jp-GlueSessions-view')).toHaveLength(1);
    expect(container.querySelector('.jp-GlueSessions-endpoints')).toBeNull();
    expect(
      container.querySelector('.jp-GlueSessions-endpointGroup')
    ).toBeNull();
    expect(container.querySelector('.jp-GlueSessions-notPolled')).toBeNull();
    expect(container.querySelectorAll('.jp-GlueSessions-row')).toHaveLength(2);
    cleanup();
  });

  it('shows the Livy URLs a single endpoint cannot poll in one line', async () => {
    const { container, cleanup } = await renderEndpoints([
      listing([], ['http://livy-x:8998'])
    ]);
    expect(
      container.querySelector('.jp-GlueSessions-endpointGroup')
    ).toBeNull();
    expect(
      container.querySelector('.jp-GlueSessions-notPolled')?.textContent
    ).toBe(
      'Also used, not polled (the server polls at most 2 endpoints): http://livy-x:8998'
    );
    cleanup();
  });

  it('shows one section per endpoint, headed by its URL as text', async () => {
    const { container, cleanup, viewStateOf } = await renderEndpoints([
      listing([B], ['http://livy-x:8998', 'http://livy-y:8998'])
    ]);
    const groups = Array.from(
      container.querySelectorAll<HTMLElement>('.jp-GlueSessions-endpointGroup')
    );
    expect(groups).toHaveLength(2);
    expect(groups.map(g => g.dataset.endpoint)).toEqual([CONFIGURED, B]);
    const titles = groups.map(
      g => g.querySelector('.jp-GlueSessions-endpointTitle-url')?.textContent
    );
    expect(titles).toEqual([CONFIGURED, B]);
    expect(container.querySelector('img')).toBeNull();
    expect(groups[0].getAttribute('aria-label')).toBe(
      `Livy endpoint ${CONFIGURED}`
    );
    expect(groups[1].querySelector('.jp-GlueSessions-endpointTitle-tag')).toBe(
      null
    );
    const facts = groups.map(
      g => g.querySelector('.jp-GlueSessions-endpointTitle-facts')?.textContent
    );
    expect(facts).toEqual([
      'configured reachable · 2 sessions · 1 starving',
      'unreachable · 2 sessions · 1 starving'
    ]);
    expect(groups[0].classList).toContain('is-up');
    expect(groups[1].classList).toContain('is-down');
    // Each its own view, from its own snapshot.
    expect(
      within(groups[1]).getByText('The Livy endpoint does not answer')
    ).toBeTruthy();
    expect(
      groups[0].querySelector('.jp-GlueSessions-endpoint')?.classList
    ).toContain('is-up');
    expect(groups[0].querySelectorAll('.jp-GlueSessions-row')).toHaveLength(2);
    expect(groups[1].querySelectorAll('.jp-GlueSessions-row')).toHaveLength(2);
    expect(
      container.querySelector('.jp-GlueSessions-notPolled')?.textContent
    ).toBe(
      '2 more used, not polled (the server polls at most 2 endpoints): http://livy-x:8998, http://livy-y:8998'
    );

    // Selections are each endpoint's own (session ids are).
    act(() => viewStateOf(B).select(1));
    expect(groups[1].querySelector('.is-selected')).not.toBeNull();
    expect(groups[0].querySelector('.is-selected')).toBeNull();
    cleanup();
  });

  it('folds a section away, and opens it to focus one of its sessions', async () => {
    const { container, cleanup, viewStateOf } = await renderEndpoints([
      listing([B])
    ]);
    const group = container.querySelectorAll<HTMLElement>(
      '.jp-GlueSessions-endpointGroup'
    )[1];
    const toggle = group.querySelector('button')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(group.querySelectorAll('.jp-GlueSessions-row')).toHaveLength(0);

    act(() => viewStateOf(B).focus(0));
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(group.querySelectorAll('.jp-GlueSessions-row')).toHaveLength(2);
    cleanup();
  });

  it('goes back to one view when the other endpoint goes', async () => {
    const list = [listing([B])];
    const { container, endpoints, cleanup } = await renderEndpoints(list);
    expect(
      container.querySelectorAll('.jp-GlueSessions-endpointGroup')
    ).toHaveLength(2);
    // The fake server's answer, from now on.
    list[0] = listing([]);
    await act(async () => {
      await endpoints.refresh();
    });
    expect(
      container.querySelectorAll('.jp-GlueSessions-endpointGroup')
    ).toHaveLength(0);
    expect(container.querySelectorAll('.jp-GlueSessions-view')).toHaveLength(1);
    cleanup();
  });

  it('says when the server no longer polls an endpoint it listed', async () => {
    const { container, cleanup } = await renderEndpoints([listing([B])], {
      status: 404,
      body: { code: 404, message: 'no such endpoint' }
    });
    const group = container.querySelectorAll<HTMLElement>(
      '.jp-GlueSessions-endpointGroup'
    )[1];
    expect(group.textContent).toContain('No longer polled');
    expect(group.textContent).not.toContain('not enabled');
    cleanup();
  });
});
