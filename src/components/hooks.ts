import { ISignal } from '@lumino/signaling';
import * as React from 'react';

/**
 * Re-render whenever a Lumino signal is emitted.
 */
export function useSignal<T>(signal: ISignal<T, any>): number {
  const [count, setCount] = React.useState(0);
  React.useEffect(() => {
    const slot = () => setCount(c => c + 1);
    signal.connect(slot);
    return () => {
      signal.disconnect(slot);
    };
  }, [signal]);
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
