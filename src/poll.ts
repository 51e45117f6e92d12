/**
 * The poll's pace and failures: its interval, its longest back-off, and what
 * a failed request means for the panel. Pure.
 */
import { ServerConnection } from '@jupyterlab/services';

/**
 * Why the snapshot could not be had.
 */
export interface IPollError {
  /**
   * - `network`: the Jupyter server did not answer (stopped, or the network is down);
   * - `missing`: 404, the server extension is not enabled on this server;
   * - `starting`: 503, the server has not finished its first poll of the endpoint;
   * - `auth`: 401/403, the Jupyter session expired;
   * - `server`: any other error answer.
   */
  kind: 'network' | 'missing' | 'starting' | 'auth' | 'server';
  /** HTTP status, if any. */
  status: number | null;
  /** A message for people. */
  message: string;
  /** When (ms since the epoch) it happened. */
  at: number;
}

/**
 * Longest wait between two requests while the server does not answer.
 */
export const MAX_BACKOFF_MS = 60 * 1000;

/**
 * A poll interval in seconds, at least 1 s, default 5 s.
 */
export function clampInterval(seconds: number | undefined | null): number {
  return typeof seconds === 'number' && Number.isFinite(seconds)
    ? Math.max(1, seconds)
    : 5;
}

/**
 * Classify a failure.
 */
export function toPollError(reason: unknown): IPollError {
  const at = Date.now();
  if (reason instanceof ServerConnection.NetworkError) {
    return {
      kind: 'network',
      status: null,
      message: 'The Jupyter server does not answer.',
      at
    };
  }
  if (reason instanceof ServerConnection.ResponseError) {
    const status = reason.response.status;
    const kind: IPollError['kind'] =
      status === 404
        ? 'missing'
        : status === 503
          ? 'starting'
          : status === 401 || status === 403
            ? 'auth'
            : 'server';
    return { kind, status, message: reason.message || String(status), at };
  }
  return {
    kind: 'server',
    status: null,
    message: reason instanceof Error ? reason.message : String(reason),
    at
  };
}
