/**
 * The jest specs' shared fixture builders: the example answer (what the
 * server's analyze() makes of a recorded observation), snapshots, sessions,
 * clusters, advice and histories as the model normalizes them, and a model
 * on a fake server.
 */
import { ServerConnection } from '@jupyterlab/services';

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
import { Answer, fakeServer, ICall } from './utils';

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
