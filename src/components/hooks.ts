import { ISignal } from '@lumino/signaling';
import * as React from 'react';
import { flushSync } from 'react-dom';

/**
 * Re-render whenever a Lumino signal is emitted.
 *
 * `now`: render in the emitting task (for a signal emitted outside React's
 * renders and events, like new data): a render scheduled for later lets the
 * browser lay out and paint a frame first, with the old data.
 */
export function useSignal<T>(
  signal: ISignal<T, any>,
  options: { now?: boolean } = {}
): number {
  const [count, setCount] = React.useState(0);
  const now = options.now ?? false;
  React.useEffect(() => {
    const bump = () => setCount(c => c + 1);
    const slot = now ? () => flushSync(bump) : bump;
    signal.connect(slot);
    return () => {
      signal.disconnect(slot);
    };
  }, [signal, now]);
  return count;
}

/**
 * The current time (ms), refreshed every `intervalMs`.
 */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    const handle = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(handle);
  }, [intervalMs]);
  return now;
}
