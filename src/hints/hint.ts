/**
 * The hint of one notebook: the few words of its toolbar item and its
 * tooltip, from the shared model's state. Pure.
 */
import { cannotStartWords } from '../words/cannotStart';
import { capacity } from '../queries/cluster';
import { outsideCulpritsOf } from '../queries/outside';
import { describeSession, sessionName } from '../queries/sessions';
import { Session, SessionStatus, Snapshot } from '../snapshot';
import { isStatus, statusOf, statusWords } from '../words/status';
import { formatDuration } from '../words/text';
import { secondsSince } from '../words/time';
import { detailLines } from './details';
import {
  holdersOf,
  holdersPhrase,
  stillStarting,
  waitedSeconds
} from './holders';
import {
  findNotebookSession,
  INotebookInfo,
  isSparkmagicKernel
} from './notebook';

/**
 * What a notebook's hint says.
 *
 * - `none`: show nothing (no mapped session and not a sparkmagic kernel);
 * - `loading`: a sparkmagic kernel, before the first answer of the server;
 * - `unavailable`: the server extension does not answer (and nothing is known);
 * - `unreachable`: the Livy endpoint does not answer;
 * - `no-session`: a sparkmagic kernel that has not created a Livy session yet;
 * - otherwise the status of the notebook's session (`unknown`: one the panel
 *   does not know).
 */
export type HintState =
  | SessionStatus
  | 'none'
  | 'loading'
  | 'unavailable'
  | 'unreachable'
  | 'no-session'
  | 'unknown';

/**
 * The hint of one notebook.
 */
export interface IHint {
  state: HintState;
  /** The few words of the toolbar item ("Spark: 3 of 9 executors"); empty for `none`. */
  text: string;
  /** The details, one fact per line, for the tooltip. */
  title: string;
  /** The Livy session the hint is about, if any. */
  sessionId: number | null;
}

/**
 * What the shared model knows.
 */
export interface IModelState {
  snapshot: Snapshot | null;
  /** Why the last request failed, if it did. */
  error?: { message?: string | null } | null;
}

/**
 * The hint of one notebook.
 */
export function notebookHint(
  state: IModelState,
  notebook: INotebookInfo,
  now: number
): IHint {
  const snapshot = state.snapshot;
  const spark = isSparkmagicKernel(
    notebook.kernelName,
    notebook.kernelDisplayName
  );
  const session = findNotebookSession(snapshot, notebook);
  const none: IHint = { state: 'none', text: '', title: '', sessionId: null };

  if (!snapshot) {
    if (!spark) {
      return none;
    }
    if (state.error) {
      return {
        state: 'unavailable',
        text: 'Spark: status unavailable',
        title: `The glue-sessions server extension does not answer: ${
          state.error.message || 'unknown error'
        }`,
        sessionId: null
      };
    }
    return {
      state: 'loading',
      text: 'Spark: checking…',
      title:
        'Asking the Jupyter server which Livy session this notebook drives.',
      sessionId: null
    };
  }
  if (!session && !spark) {
    return none;
  }

  const lines: string[] = [];
  if (state.error) {
    lines.push(
      `Last known state: the Jupyter server does not answer (${
        state.error.message || 'unknown error'
      }).`
    );
  }

  if (snapshot.endpoint && snapshot.endpoint.reachable === false) {
    const since = secondsSince(snapshot.endpoint.down_since, now);
    const url = snapshot.endpoint.url || 'The Livy endpoint';
    lines.unshift(
      since === null
        ? `${url} does not answer.`
        : `${url} has not answered for ${formatDuration(since)}.`
    );
    if (snapshot.endpoint.error) {
      lines.push(snapshot.endpoint.error);
    }
    if (session) {
      lines.push(`This notebook drives ${describeSession(session)}.`);
    }
    lines.push(clickLine(session));
    return {
      state: 'unreachable',
      text: 'Spark: endpoint unreachable',
      title: lines.join('\n'),
      sessionId: session ? session.id : null
    };
  }

  if (!session) {
    lines.unshift(
      'This notebook has no Livy session yet: run a cell to start one.'
    );
    lines.push(clickLine(null));
    return {
      state: 'no-session',
      text: 'Spark: no session yet',
      title: lines.join('\n'),
      sessionId: null
    };
  }

  const status = statusOf(session);
  const name = sessionName(session);
  const holders = holdersOf(snapshot, session);
  const phrase = holdersPhrase(snapshot, holders, outsideCulpritsOf(session));
  // While its driver cannot start (Livy says starting), that is the news.
  const cannotStart =
    status === 'waiting' || status === 'starving'
      ? cannotStartWords(session)
      : undefined;
  const text = cannotStart
    ? cannotStart.hint(phrase)
    : (statusWords(status)?.hint({
        name,
        held: session.executors,
        capacity: capacity(snapshot.cluster),
        phrase,
        starting: stillStarting(session),
        waited: waitedSeconds(snapshot, session, now)
      }) ?? `Spark: ${name}`);

  lines.unshift(...detailLines(snapshot, session, holders, now));
  lines.push(clickLine(session));
  return {
    state: isStatus(status) ? status : 'unknown',
    text,
    title: lines.join('\n'),
    sessionId: session.id
  };
}

function clickLine(session: Session | null): string {
  return session
    ? `Click to show ${sessionName(session)} in Spark executor sharing.`
    : 'Click to show Spark executor sharing.';
}
