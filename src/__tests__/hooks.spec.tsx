import { Signal } from '@lumino/signaling';
import { render } from '@testing-library/react';
import * as React from 'react';

import { useSignal } from '../components/hooks';

function Counter(props: {
  signal: Signal<object, void>;
  now: boolean;
}): JSX.Element {
  const count = useSignal(props.signal, { now: props.now });
  return <span>{count}</span>;
}

describe('useSignal', () => {
  it('renders in the emitting task with `now`, later without', async () => {
    // As in the browser: no act() around updates, React's own scheduler.
    const g = globalThis as any;
    const saved = g.IS_REACT_ACT_ENVIRONMENT;
    g.IS_REACT_ACT_ENVIRONMENT = false;
    const owner = {};
    for (const now of [true, false]) {
      const signal = new Signal<object, void>(owner);
      const view = render(<Counter signal={signal} now={now} />);
      // As the model emits: outside React, after its request.
      signal.emit();
      expect(view.container.textContent).toBe(now ? '1' : '0');
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(view.container.textContent).toBe('1');
      view.unmount();
    }
    g.IS_REACT_ACT_ENVIRONMENT = saved;
  });
});
