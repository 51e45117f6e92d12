import { act } from '@testing-library/react';
import example from '../../docs/snapshot-example.json';
import { MEASURES } from '../perf/timing';
import { ViewState } from '../viewstate';
import { fakeServer, recordMeasures } from './utils';
import { renderedView } from './view';

describe('update timing', () => {
  it('measures the update from the response to the commit', async () => {
    const { measures, restore } = recordMeasures();
    const { settings } = fakeServer({
      snapshot: [{ status: 200, body: example }]
    });
    const viewState = new ViewState();
    const { model, view, close } = await renderedView(settings, { viewState });
    expect(
      view.container.querySelectorAll('.jp-GlueSessions-row')
    ).toHaveLength(2);
    const update = measures.filter(m => m.name === MEASURES.update);
    expect(update).toHaveLength(1);
    expect(update[0].start).toBe(model.receivedAt);
    expect(update[0].end).toBeGreaterThanOrEqual(update[0].start);
    expect(measures.filter(m => m.name === MEASURES.commit)).toHaveLength(1);

    // A render without new data is a re-render.
    act(() => viewState.hover(0));
    expect(measures[measures.length - 1].name).toBe(MEASURES.rerender);
    expect(measures.filter(m => m.name === MEASURES.update)).toHaveLength(1);

    close();
    restore();
  });
});
