/**
 * The tooltip of a notebook's hint about its session: status, executors,
 * sizes, tasks, starvation edges and advice, one fact per line. Pure.
 */
import {
  cannotStartOf,
  cannotStartWords,
  diagnosticsText
} from '../words/cannotStart';
import { capacity } from '../queries/cluster';
import { idlePhrase } from '../words/idle';
import { holdsPhrase, isOrphan } from '../queries/orphans';
import { outsideCulpritsOf } from '../queries/outside';
import {
  describeSession,
  findSession,
  pendingContainers
} from '../queries/sessions';
import { Session, Snapshot } from '../snapshot';
import { statusHelp, statusLabel, statusOf } from '../words/status';
import {
  formatDuration,
  formatMemory,
  formatNumber,
  formatResources,
  joinWords,
  plural,
  truncate
} from '../words/text';
import { formatClock, secondsSince } from '../words/time';
import {
  culpritPhrases,
  starvationOf,
  stillStarting,
  waitedSeconds
} from './holders';

/**
 * Longest YARN diagnostics a tooltip shows.
 */
const DIAGNOSTICS_IN_TOOLTIP = 300;

/**
 * The tooltip lines about a session.
 */
export function detailLines(
  snapshot: Snapshot,
  session: Session,
  holders: readonly Session[],
  now: number
): string[] {
  const status = statusOf(session);
  const lines: string[] = [];
  const since = secondsSince(session.status_since, now);
  const label = statusLabel(status).toLowerCase();
  lines.push(
    `${describeSession(session)}: ${label}${
      since === null || status === 'unknown'
        ? ''
        : ` for ${formatDuration(since)}`
    }`
  );
  const cannotStart =
    status === 'waiting' || status === 'starving'
      ? cannotStartLines(snapshot, session, now)
      : [];
  const help = statusHelp(status);
  if (cannotStart.length) {
    lines.push(...cannotStart);
  } else if (help) {
    lines.push(help);
  }
  if (isOrphan(session)) {
    const held = holdsPhrase(session);
    lines.push(
      'Nobody uses it: the notebook kernel of this server that created it no longer runs it' +
        (held
          ? `. It holds ${held}: stop it from Spark executor sharing.`
          : '.')
    );
  }
  const idle = idlePhrase(session, now);
  if (idle) {
    lines.push(`${idle.charAt(0).toUpperCase()}${idle.slice(1)}`);
  }

  const c = capacity(snapshot.cluster);
  const exec = [
    `${formatNumber(session.executors)} held${stillStarting(session)}`
  ];
  const known: [string, number | null][] = [
    ['fair share', session.fair_share],
    ['needs', session.need],
    ['max', session.max_executors]
  ];
  for (const [words, value] of known) {
    if (value !== null) {
      exec.push(`${words} ${formatNumber(value)}`);
    }
  }
  let execLine = `Executors: ${exec.join(', ')}`;
  if (c !== null) {
    execLine += ` (cluster: ${formatNumber(
      snapshot.cluster?.executors_in_use
    )} of ${formatNumber(c)} in use)`;
  }
  lines.push(execLine);
  const pending = pendingContainers(session);
  if (pending !== null) {
    lines.push(
      `YARN: ${plural(pending, 'executor container')} pending (waiting for cluster capacity)`
    );
  }
  lines.push(
    `Cores: ${formatNumber(session.cores)}, memory: ${formatMemory(session.memory_mb)}`
  );
  const executor = formatResources(
    session.executor_cores,
    session.executor_memory_mb
  );
  const driver = formatResources(
    session.driver_cores,
    session.driver_memory_mb
  );
  const size = [
    executor && `each executor: ${executor}`,
    driver && `driver: ${driver}`
  ]
    .filter(part => part)
    .join('; ');
  if (size) {
    lines.push(size.charAt(0).toUpperCase() + size.slice(1));
  }
  lines.push(
    `Tasks: ${formatNumber(session.running_tasks)} running, ${formatNumber(
      session.pending_tasks
    )} pending`
  );

  const starvedBy = holders.filter(h => session.starved_by.includes(h.id));
  const outside = outsideCulpritsOf(session);
  const named = (list: readonly Session[]) =>
    joinWords(
      culpritPhrases(
        snapshot,
        session,
        list.map(h => h.id)
      )
    );
  if (cannotStartOf(session) === 'am-limit') {
    if (holders.length || outside.length) {
      lines.push(`Drivers in its queue: ${named(holders)}`);
    }
  } else if (starvedBy.length || (status === 'starving' && outside.length)) {
    lines.push(`Starved by: ${named(starvedBy)}`);
  } else if (holders.length || outside.length) {
    lines.push(`Above their fair share: ${named(holders)}`);
  }
  const victims = new Set<number>(session.starving);
  victims.delete(session.id);
  if (victims.size) {
    lines.push(
      `Starving: ${joinWords(
        [...victims].map(id =>
          describeSession(findSession(snapshot.sessions, id), id)
        )
      )}`
    );
  }
  if (status === 'hogging') {
    lines.push(
      'This notebook holds more than its fair share while others wait.'
    );
  }
  const advice = snapshot.advice.find(a => a.session === session.id && a.text);
  if (advice) {
    lines.push(`Advice: ${advice.text}`);
  }
  if (session.stale) {
    lines.push('Last known state (the endpoint does not answer).');
  }
  return lines;
}

/**
 * Why a session's driver cannot start, since when, what it asks for and
 * YARN's own words; none when it can start.
 */
function cannotStartLines(
  snapshot: Snapshot,
  session: Session,
  now: number
): string[] {
  const words = cannotStartWords(session);
  if (!words) {
    return [];
  }
  const waited = waitedSeconds(snapshot, session, now);
  const since =
    starvationOf(snapshot, session.id)?.since ?? session.status_since;
  const lines = [
    `Cannot start: ${words.why}` +
      (waited === null
        ? '.'
        : `, for ${formatDuration(waited)} (since ${formatClock(since, now)}).`),
    words.help
  ];
  const asks = formatResources(session.driver_cores, session.driver_memory_mb);
  lines.push(
    `Livy says ${session.state || 'nothing yet'}; its driver asks YARN for ` +
      `${asks ?? 'a container'}${session.queue ? ` in queue ${session.queue}` : ''}.`
  );
  const diagnostics = diagnosticsText(session.diagnostics);
  if (diagnostics) {
    lines.push(`YARN: ${truncate(diagnostics, DIAGNOSTICS_IN_TOOLTIP)}`);
  }
  return lines;
}
