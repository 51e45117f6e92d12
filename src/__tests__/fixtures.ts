/**
 * The jest specs' shared fixture builders: the example answer (what the
 * server's analyze() makes of a recorded observation), snapshots, sessions,
 * clusters, advice and histories as the model normalizes them, and a model
 * on a fake server.
 */
import example from '../../docs/snapshot-example.json';
import { GlueSessionsModel } from '../model';
import {
  normalizeCluster,
  normalizeHistory,
  normalizeSession,
  normalizeSnapshot
} from '../normalize';
import { Advice, Cluster, History, Session, Snapshot } from '../snapshot';
import { IAdvice, ICluster, IHistory, ISession, ISnapshot } from '../types';
import { Answer, fakeServer } from './utils';

/**
 * The example answer as the server sends it (wire JSON; do not modify).
 */
export const EXAMPLE_ANSWER = example as unknown as ISnapshot;

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
  calls: ReturnType<typeof fakeServer>['calls'];
  settings: ReturnType<typeof fakeServer>['settings'];
} {
  const { settings, calls } = fakeServer(table);
  const model = new GlueSessionsModel({
    serverSettings: settings,
    refreshInterval: 3600,
    autoStart: false
  });
  return { model, calls, settings };
}
