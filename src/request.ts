import { URLExt } from '@jupyterlab/coreutils';

import { ServerConnection } from '@jupyterlab/services';

/**
 * The API namespace of the server extension.
 */
export const API_NAMESPACE = 'glue-sessions/api';

/**
 * The answer of a conditional GET.
 */
export interface IConditionalResponse<T> {
  /** HTTP status (200, or 304 when nothing changed). */
  status: number;
  /** The body; null for a 304. */
  data: T | null;
  /** The ETag the server sent, if any. */
  etag: string | null;
  /**
   * When the response arrived (`performance.now()` ms): its whole body
   * read, before it is parsed. Waiting for the body is the network's time,
   * not the panel's (the page is free meanwhile).
   */
  receivedAt: number;
}

/**
 * The full URL of an API end point.
 */
export function apiUrl(
  endPoint: string,
  serverSettings: ServerConnection.ISettings
): string {
  return URLExt.join(serverSettings.baseUrl, API_NAMESPACE, endPoint);
}

/**
 * An end point of one Livy endpoint: `snapshot?endpoint=<id>`; the end point
 * itself (the configured endpoint's) without an id.
 */
export function forEndpoint(
  endPoint: string,
  endpoint: string | null | undefined
): string {
  return endpoint
    ? `${endPoint}?endpoint=${encodeURIComponent(endpoint)}`
    : endPoint;
}

/**
 * Call the server extension.
 *
 * @param endPoint API REST end point for the extension ("snapshot", "history")
 * @param serverSettings The server settings to use for the request
 * @param init Initial values for the request
 * @returns The response body interpreted as JSON
 */
export async function requestAPI<T>(
  endPoint: string,
  serverSettings: ServerConnection.ISettings,
  init: RequestInit = {}
): Promise<T> {
  const { data } = await requestConditional<T>(
    endPoint,
    serverSettings,
    null,
    init
  );
  return data as T;
}

/**
 * GET an end point with `If-None-Match: etag` when an ETag is known.
 * A 304 answers `{status: 304, data: null}`.
 *
 * @throws ServerConnection.NetworkError when the Jupyter server cannot be reached
 * @throws ServerConnection.ResponseError for any other status than 2xx and 304
 */
export async function requestConditional<T>(
  endPoint: string,
  serverSettings: ServerConnection.ISettings,
  etag: string | null,
  init: RequestInit = {}
): Promise<IConditionalResponse<T>> {
  const headers = new Headers(init.headers ?? {});
  if (etag) {
    headers.set('If-None-Match', etag);
  }
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(
      apiUrl(endPoint, serverSettings),
      { ...init, headers },
      serverSettings
    );
  } catch (error) {
    throw new ServerConnection.NetworkError(error as any);
  }
  if (response.status === 304) {
    return { status: 304, data: null, etag, receivedAt: Private.now() };
  }

  const text = await response.text();
  // Arrived: from here on, the time is the panel's (parse, model, render).
  const receivedAt = Private.now();
  let data: any = text;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      if (response.ok) {
        throw new ServerConnection.ResponseError(
          response,
          `The server answered ${endPoint} with something that is not JSON.`
        );
      }
    }
  }

  if (!response.ok) {
    const message =
      data && typeof data === 'object' && typeof data.message === 'string'
        ? data.message
        : typeof data === 'string' && data
          ? data.slice(0, 300)
          : `${response.status} ${response.statusText}`;
    throw new ServerConnection.ResponseError(response, message);
  }

  return {
    status: response.status,
    data: data as T,
    etag: response.headers.get('ETag'),
    receivedAt
  };
}

/**
 * Stop (DELETE) a Livy session of one of this server's notebooks.
 *
 * ServerConnection.makeRequest sends the XSRF token that the server checks.
 *
 * @throws ServerConnection.ResponseError with the server's `message` (403 when
 * stopping is off or the session is not this server's, 404, 502 when Livy refused)
 * @throws ServerConnection.NetworkError when the Jupyter server cannot be reached
 * @param endpoint The Livy endpoint's id (null: the configured endpoint).
 */
export async function stopSession(
  sessionId: number,
  serverSettings: ServerConnection.ISettings,
  endpoint: string | null = null
): Promise<{ stopped?: number }> {
  if (!Number.isInteger(sessionId) || sessionId < 0) {
    throw new Error(`Not a Livy session id: ${sessionId}`);
  }
  return requestAPI<{ stopped?: number }>(
    forEndpoint(`sessions/${sessionId}`, endpoint),
    serverSettings,
    { method: 'DELETE' }
  );
}

/**
 * Module-private helpers.
 */
namespace Private {
  /**
   * A monotonic clock in ms (Date.now() where performance is missing).
   */
  export function now(): number {
    return typeof performance !== 'undefined' &&
      typeof performance.now === 'function'
      ? performance.now()
      : Date.now();
  }
}
