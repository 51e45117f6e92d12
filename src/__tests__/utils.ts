import { ServerConnection } from '@jupyterlab/services';

/**
 * A recorded request.
 */
export interface ICall {
  /** The path, without the query. */
  url: string;
  /** The query, `?endpoint=...` (empty without). */
  query: string;
  method: string;
  headers: Headers;
}

/**
 * One answer of the fake server: a status, a body and headers; or 'network'
 * for a failure to connect.
 */
export type Answer =
  | { status: number; body?: unknown; headers?: { [key: string]: string } }
  | 'network';

/**
 * Server settings whose fetch answers from a table of end point -> answers
 * (the last answer of a list repeats); an end point with its query
 * (`forEndpoint('snapshot', id)`) answers that query only.
 */
export function fakeServer(table: { [endPoint: string]: Answer[] }): {
  settings: ServerConnection.ISettings;
  calls: ICall[];
} {
  const calls: ICall[] = [];
  const fetchImpl = async (input: RequestInfo, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    // Without the cache buster (a bare number) ServerConnection adds to GETs.
    const query = url.search
      .replace(/^\?/, '')
      .split('&')
      .filter(part => part && !/^\d+$/.test(part))
      .join('&');
    const search = query ? `?${query}` : '';
    calls.push({
      url: url.pathname,
      query: search,
      method: request.method,
      headers: request.headers
    });
    const endPoint = url.pathname.replace(/^.*\/glue-sessions\/api\//, '');
    // `snapshot?endpoint=<id>` first (as forEndpoint makes it), else `snapshot`.
    const answers = table[endPoint + search] ?? table[endPoint];
    if (!answers || !answers.length) {
      return new Response(JSON.stringify({ code: 404, message: 'Not Found' }), {
        status: 404
      });
    }
    const answer = answers.length > 1 ? answers.shift()! : answers[0];
    if (answer === 'network') {
      throw new TypeError('Failed to fetch');
    }
    const body =
      answer.status === 304 || answer.body === undefined
        ? null
        : typeof answer.body === 'string'
          ? answer.body
          : JSON.stringify(answer.body);
    return new Response(body, {
      status: answer.status,
      headers: answer.headers ?? {}
    });
  };
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/',
    wsUrl: 'ws://localhost:8888/',
    fetch: fetchImpl as any,
    Request: Request as any,
    Headers: Headers as any
  });
  return { settings, calls };
}

/**
 * Record the User Timing measures taken (jsdom has none): each as
 * `{name, start, end}` in `measures`, and `onMeasure[name]` called as it is
 * taken; `restore` puts `performance` back.
 */
export function recordMeasures(): {
  measures: { name: string; start: number; end: number }[];
  onMeasure: { [name: string]: () => void };
  restore: () => void;
} {
  const perf = performance as any;
  const saved = { measure: perf.measure, clearMeasures: perf.clearMeasures };
  const measures: { name: string; start: number; end: number }[] = [];
  const onMeasure: { [name: string]: () => void } = {};
  perf.measure = (name: string, options: { start: number; end: number }) => {
    measures.push({ name, ...options });
    onMeasure[name]?.();
  };
  perf.clearMeasures = () => undefined;
  const restore = () => {
    perf.measure = saved.measure;
    perf.clearMeasures = saved.clearMeasures;
  };
  return { measures, onMeasure, restore };
}
