import { ServerConnection } from '@jupyterlab/services';
import { act, render, RenderResult, waitFor } from '@testing-library/react';
import * as React from 'react';

import { GlueSessionsView } from '../components/GlueSessionsView';
import { GlueSessionsModel } from '../model/model';
import { DEFAULT_SETTINGS, IPanelSettings } from '../settings';
import { ViewState } from '../viewstate';
import { IHistory } from '../types';
import { EXAMPLE_ANSWER, modelFor } from './fixtures';
import { fakeServer } from './utils';

/**
 * The panel's view on a model reading the fake server of `settings` (see
 * fakeServer), after its first refresh; `close()` unmounts the view and
 * disposes of the model and its watch.
 */
export async function renderedView(
  settings: ServerConnection.ISettings,
  options: {
    history?: boolean;
    viewState?: ViewState;
    panel?: Partial<IPanelSettings>;
    onOpenNotebook?: (path: string) => void;
  } = {}
): Promise<{
  model: GlueSessionsModel;
  view: RenderResult;
  close: () => void;
}> {
  const model = modelFor(settings);
  const watch = model.watch({ history: options.history });
  const view = render(
    <GlueSessionsView
      model={model}
      viewState={options.viewState ?? new ViewState()}
      settings={{ ...DEFAULT_SETTINGS, ...options.panel }}
      onOpenNotebook={options.onOpenNotebook ?? (() => undefined)}
      onShowIdle={() => undefined}
    />
  );
  await act(async () => {
    await model.refresh();
  });
  const close = () => {
    view.unmount();
    watch.dispose();
    model.dispose();
  };
  return { model, view, close };
}

/**
 * The panel's view when the server answers `snapshot` (a recording or a
 * wire answer), sent as a fresh copy as the wire would.
 */
export function viewOfSnapshot(
  snapshot: unknown
): ReturnType<typeof renderedView> {
  const { settings } = fakeServer({
    snapshot: [{ status: 200, body: JSON.parse(JSON.stringify(snapshot)) }]
  });
  return renderedView(settings);
}

/**
 * The view (with sparklines) after the first of two polls: the example
 * snapshot and `history(9)`; the next `model.refresh()` brings `changed` and
 * `history(8)`.
 */
export function viewOfTwoPolls(
  changed: unknown,
  history: (last: number) => IHistory
): ReturnType<typeof renderedView> {
  const { settings } = fakeServer({
    snapshot: [
      { status: 200, body: EXAMPLE_ANSWER, headers: { ETag: '"a"' } },
      { status: 200, body: changed, headers: { ETag: '"b"' } }
    ],
    history: [
      { status: 200, body: history(9) },
      { status: 200, body: history(8) }
    ]
  });
  return renderedView(settings, { history: true });
}

/**
 * JupyterLab's dialog, once it is open (the stop button's question).
 */
export async function openDialog(): Promise<Element> {
  return waitFor(() => {
    const node = document.body.querySelector('.jp-Dialog');
    expect(node).not.toBeNull();
    return node!;
  });
}
