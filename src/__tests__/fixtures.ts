/**
 * The jest specs' shared fixture builders: the example answer (what the
 * server's analyze() makes of a recorded observation), snapshots, sessions,
 * clusters, advice and histories as the model normalizes them, and a model
 * on a fake server.
 */
import { ServerConnection } from '@jupyterlab/services';

import example from '../../docs/snapshot-example.json';
import { EndpointsModel } from '../model/endpoints';
import { GlueSessionsModel } from '../model/model';
import {
  normalizeCluster,
  normalizeHistory,
  normalizeSession,
  normalizeSnapshot
} from '../model/normalize';
import { Advice, Cluster, History, Session, Snapshot } from '../snapshot';
import { INotebookInfo } from '../hints/notebook';
import { forEndpoint } from '../model/request';
import {
  IAdvice,
  ICluster,
  IEndpoints,
  IHistory,
  ISession,
  ISnapshot
} from '../types';
import { Answer, fakeServer, ICall } from './utils';

/**
 * The example answer as the server sends it (wire JSON; do not modify).
 */
export const EXAMPLE_ANSWER = example as unknown as ISnapshot;

/**
 * The recorded answers that scripts/snapshot_example.py makes with the
 * server's analysis, beside the example (ui-tests/tests/fixtures/, which the
 * screenshots read too): a fresh copy of one, to change.
 * - snapshot-cannot-start.json: the real YARN and Livy answers of
 *   devstack/samples/yarn/cannot_start_*: livy-session-0 holds every
 *   executor, livy-session-1 (this server's etl.ipynb) cannot start;
 * - snapshot-orphaned.json: dana's livy-session-4 (Livy name forecast) is
 *   orphaned, idle, holding 1 executor and its driver; her report.ipynb's
 *   livy-session-5 starves; a nightly job outside Livy holds 4 of 5.
 */
export function recordedAnswer(
  name: 'snapshot-cannot-start.json' | 'snapshot-orphaned.json'
): ISnapshot {
  // Read from the file: jest does not load modules under ui-tests/.
  const fs = require('fs');
  const path = require('path');
  const file = path.resolve(__dirname, '../../ui-tests/tests/fixtures', name);
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

/**
 * Node's own, in jest (the specs are type-checked without Node's types).
 */
declare const __dirname: string;
declare function require(id: 'fs' | 'path'): any;

/**
 * The recorded answers, as the model keeps them.
 */
export const CANNOT_START: Snapshot = aSnapshot(
  recordedAnswer('snapshot-cannot-start.json')
);
export const ORPHANED: Snapshot = aSnapshot(
  recordedAnswer('snapshot-orphaned.json')
);

/** The notebook of livy-session-1 in the cannot-start recording. */
export const ETL_NOTEBOOK: INotebookInfo = {
  kernelId: '0c6f1d2e-8b4a-4f4e-9d57-3a1e2b9c7f10',
  kernelName: 'pysparkkernel',
  kernelDisplayName: 'PySpark',
  path: 'etl.ipynb'
};

/** dana's report.ipynb, starving in the orphaned recording. */
export const REPORT_NOTEBOOK: INotebookInfo = {
  kernelId: '4f2b8d6a-1c3e-4a5b-9e7f-0d8c6b4a2e15',
  kernelName: 'pysparkkernel',
  path: 'work/report.ipynb'
};

/**
 * The orphaned recording's work/forecast.ipynb (livy-session-4), opened
 * again: a new kernel, the same path.
 */
export const FORECAST_REOPENED: INotebookInfo = {
  kernelId: 'a-new-kernel',
  kernelName: 'pysparkkernel',
  path: 'work/forecast.ipynb'
};

/**
 * Two seconds after the last poll of the recorded answers (and of the
 * example): the screenshots' clock.
 */
export const RECORDED_NOW = Date.parse('2026-11-24T10:00:07Z');

/**
 * A fresh copy of the example answer, to change.
 */
export function exampleAnswer(): ISnapshot {
  return JSON.parse(JSON.stringify(example));
}

/**
 * A snapshot as the model keeps it, from a (possibly partial or malformed) answer.
 */
export function aSnapshot(answer: ISnapshot | unknown): Snapshot {
  return normalizeSnapshot(answer);
}

/**
 * The example, as the model keeps it.
 */
export const EXAMPLE: Snapshot = aSnapshot(EXAMPLE_ANSWER);

/**
 * A session as the model keeps it, from the fields given (id 0 unless given).
 */
export function aSession(fields: Partial<ISession> | unknown): Session {
  return normalizeSession({ id: 0, ...(fields as object) }) as Session;
}

/**
 * Sessions as the model keeps them.
 */
export function someSessions(list: Partial<ISession>[]): Session[] {
  return list.map(aSession);
}

/**
 * A cluster as the model keeps it.
 */
export function aCluster(fields: ICluster | unknown): Cluster {
  return normalizeCluster(fields ?? {}) as Cluster;
}

/**
 * A list of advice as the model keeps it.
 */
export function someAdvice(list: IAdvice[] | unknown): Advice[] {
  return aSnapshot({ advice: list }).advice;
}

/**
 * A history as the model keeps it.
 */
export function aHistory(answer: IHistory | unknown): History {
  return normalizeHistory(answer);
}

/**
 * A model on a fake server answering `table` (see fakeServer), that does
 * not poll by itself.
 */
export function modelOn(table: { [endPoint: string]: Answer[] }): {
  model: GlueSessionsModel;
  calls: ICall[];
  settings: ServerConnection.ISettings;
} {
  const { settings, calls } = fakeServer(table);
  return { model: modelFor(settings), calls, settings };
}

/**
 * A model on the server of `settings` that does not poll by itself.
 */
export function modelFor(
  settings: ServerConnection.ISettings
): GlueSessionsModel {
  return new GlueSessionsModel({
    serverSettings: settings,
    refreshInterval: 3600,
    autoStart: false
  });
}

/**
 * Bob's notebook (session 1 of the example) and two others: a PySpark
 * kernel's and a plain Python one's.
 */
export const BOB_KERNEL = '5b1c6f0e-3f7a-4c1e-9a53-2f7d4f1e8a10';
export const BOB_NOTEBOOK: INotebookInfo = {
  kernelId: BOB_KERNEL,
  kernelName: 'python3',
  kernelDisplayName: 'Python 3 (ipykernel)',
  path: 'work/etl.ipynb'
};
export const PYSPARK_NOTEBOOK: INotebookInfo = {
  kernelId: 'another-kernel',
  kernelName: 'pysparkkernel',
  kernelDisplayName: 'PySpark',
  path: 'other.ipynb'
};
export const PLAIN_NOTEBOOK: INotebookInfo = {
  kernelId: 'plain-kernel',
  kernelName: 'python3',
  kernelDisplayName: 'Python 3 (ipykernel)',
  path: 'plain.ipynb'
};

/**
 * The seed with bob's session (id 1) changed, and the starvation list and
 * the other sessions as given.
 */
export function withBob(
  bob: Partial<ISession>,
  others: { [id: number]: Partial<ISession> } = {},
  keepStarvation = false
): ISnapshot {
  const s = exampleAnswer();
  s.sessions = s.sessions!.map(x =>
    x.id === 1 ? { ...x, ...bob } : { ...x, ...(others[x.id] ?? {}) }
  );
  if (!keepStarvation) {
    s.starvation = [];
    s.advice = [];
  }
  return s;
}

/**
 * Several endpoints: the configured one and two others (ENDPOINT_B, ENDPOINT_C),
 * their snapshots, the endpoints list, and an endpoints model on a fake server.
 */
export const CONFIGURED_ENDPOINT = 'http://127.0.0.1:8998';
export const ENDPOINT_B = 'http://livy-b.example:8998';
export const ENDPOINT_C = 'http://livy-c.example:8998/livy';

/** The example answer, as another endpoint's snapshot. */
export function snapshotOf(url: string): ISnapshot {
  const answer = exampleAnswer();
  answer.endpoint!.url = url;
  return answer;
}

/** The example, with its notebook's session moved to another kernel and path. */
export function elsewhere(): ISnapshot {
  const answer = exampleAnswer();
  answer.sessions![1].notebook = {
    path: 'other.ipynb',
    kernel_id: 'another-kernel',
    orphaned: false
  };
  return answer;
}

/** Another endpoint's snapshot, saying that its Livy does not answer. */
export function unreachable(url: string): ISnapshot {
  const answer = snapshotOf(url);
  answer.endpoint!.reachable = false;
  return answer;
}

/** An endpoints answer: the configured endpoint, then `others`. */
export function endpointsAnswer(
  others: string[],
  notPolled: string[] = []
): Answer {
  const body: IEndpoints = {
    endpoints: [
      {
        id: CONFIGURED_ENDPOINT,
        configured: true,
        last_used_at: null,
        reachable: true,
        sessions: 2,
        starving: 1
      },
      ...others.map(id => ({
        id,
        configured: false,
        last_used_at: '2026-11-24T09:59:00Z',
        reachable: true,
        sessions: 2,
        starving: 1
      }))
    ],
    max_endpoints: 3,
    not_polled: notPolled
  };
  return { status: 200, body };
}

/** The endpoints model on a fake server answering `table`; nothing polls by itself. */
export function endpointsOn(table: { [endPoint: string]: Answer[] }): {
  endpoints: EndpointsModel;
  calls: ICall[];
} {
  const { settings, calls } = fakeServer({
    snapshot: [{ status: 200, body: snapshotOf(CONFIGURED_ENDPOINT) }],
    [forEndpoint('snapshot', ENDPOINT_B)]: [
      { status: 200, body: snapshotOf(ENDPOINT_B) }
    ],
    [forEndpoint('snapshot', ENDPOINT_C)]: [
      { status: 200, body: snapshotOf(ENDPOINT_C) }
    ],
    ...table
  });
  const endpoints = new EndpointsModel({
    serverSettings: settings,
    configured: modelFor(settings),
    autoStart: false
  });
  return { endpoints, calls };
}
