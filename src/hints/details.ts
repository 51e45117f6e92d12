/**
 * The tooltip of a notebook's hint about its session: status, executors,
 * sizes, tasks, starvation edges and advice, one fact per line. Pure.
 */
import { capacity } from '../cluster';
import { describeSession, findSession, pendingContainers } from '../sessions';
import { Session, Snapshot } from '../snapshot';
import { statusHelp, statusLabel, statusOf } from '../status';
import {
  formatDuration,
  formatMemory,
  formatNumber,
  formatResources,
  joinWords,
  plural
} from '../text';
import { secondsSince } from '../time';
import { holding, stillStarting } from './holders';

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
  const help = statusHelp(status);
  if (help) {
    lines.push(help);
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
  if (starvedBy.length) {
    lines.push(`Starved by: ${joinWords(starvedBy.map(h => holding(h, c)))}`);
  } else if (holders.length) {
    lines.push(
      `Above their fair share: ${joinWords(holders.map(h => holding(h, c)))}`
    );
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
