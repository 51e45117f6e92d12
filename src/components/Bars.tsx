import * as React from 'react';

import { clusterNote, driversPhrase } from '../queries/cluster';
import {
  describeOutside,
  outsideExecutors,
  outsideShortName
} from '../queries/outside';
import { sessionName } from '../queries/sessions';
import { Cluster, OutsideLivyApp, Session } from '../snapshot';
import { statusOf } from '../words/status';
import { formatNumber, formatResources, plural, UNKNOWN } from '../words/text';

/**
 * Executors held by one session, against its fair share and its need.
 *
 * The bar spans `scale` executors (the cluster capacity, or more when a value
 * exceeds it): solid = held, striped end = held but still starting (granted,
 * not yet registered with the driver), hatched = needed but not held, a
 * tick = fair share. Memoized on its numbers.
 */
export const ExecutorBar = React.memo(function ExecutorBar(props: {
  name: string;
  status: string;
  held: number | null;
  /** Held executors not yet registered with the driver. */
  starting: number | null;
  need: number | null;
  fair: number | null;
  scale: number;
}): JSX.Element {
  const { held, need, fair, scale } = props;
  const top = Math.max(scale, held ?? 0, fair ?? 0, 1);
  const pct = (v: number) => `${Math.min(100, (v / top) * 100)}%`;
  const missing = need !== null && held !== null && Math.min(need, top) > held;
  const starting =
    held !== null && props.starting !== null && props.starting > 0
      ? Math.min(props.starting, held)
      : 0;
  const label =
    `${props.name} holds ${held === null ? 'an unknown number of' : formatNumber(held)} ` +
    `executors${starting ? ` (${formatNumber(starting)} still starting)` : ''}; ` +
    `fair share ${fair === null ? UNKNOWN : formatNumber(fair)}, ` +
    `needs ${need === null ? UNKNOWN : formatNumber(need)}`;
  return (
    <div className="jp-GlueSessions-execBar" role="img" aria-label={label}>
      <div className="jp-GlueSessions-execBar-track">
        {held !== null && held > 0 && (
          <div
            className={`jp-GlueSessions-execBar-held jp-GlueSessions-status-${props.status}`}
            style={{ width: pct(held) }}
          />
        )}
        {starting > 0 && (
          <div
            className="jp-GlueSessions-execBar-starting"
            style={{ left: pct((held ?? 0) - starting), width: pct(starting) }}
          />
        )}
        {missing && (
          <div
            className="jp-GlueSessions-execBar-need"
            style={{
              left: pct(held ?? 0),
              width: pct(Math.min(need ?? 0, top) - (held ?? 0))
            }}
          />
        )}
        {fair !== null && (
          <div
            className="jp-GlueSessions-execBar-fair"
            style={{ left: pct(fair) }}
            title={`fair share ${formatNumber(fair)}`}
          />
        )}
      </div>
      {/* One text node per run of text: 200 rows can change at once. */}
      <span className="jp-GlueSessions-execBar-text">
        <b>{held === null ? UNKNOWN : formatNumber(held)}</b>
        {starting > 0 && (
          <span
            className="jp-GlueSessions-execBar-startingText"
            title="Granted by the cluster manager, not yet registered with the Spark driver"
          >
            {` (${formatNumber(starting)} starting)`}
          </span>
        )}
        {(fair !== null ? ` / fair ${formatNumber(fair)}` : '') +
          (need !== null ? ` / need ${formatNumber(need)}` : '')}
      </span>
    </div>
  );
});

/**
 * The cluster's executors: one segment per session holding some, one per
 * application outside Livy holding some, then the free ones. Below: the
 * driver containers and the server's note on where the capacity comes from,
 * when known.
 *
 * The bar counts executor slots (`max_executors`); drivers are not in it: on
 * YARN the slots already leave out what the drivers take, so they get a line
 * of their own instead of a segment in another unit.
 */
export const ClusterBar = React.memo(function ClusterBar(props: {
  cluster: Cluster | null;
  sessions: readonly Session[];
  /** The YARN applications outside Livy (the snapshot's `outside_livy`). */
  outside: readonly OutsideLivyApp[];
  highlight: Set<number> | null;
  onHover?: (id: number | null) => void;
}): JSX.Element {
  const { cluster, sessions, highlight, onHover } = props;
  const max = cluster?.max_executors ?? null;
  const held = sessions.filter(s => (s.executors ?? 0) > 0);
  const outside = props.outside.filter(a => (a.executors ?? 0) > 0);
  const outsideHeld = outsideExecutors(outside);
  const sumHeld =
    held.reduce((acc, s) => acc + (s.executors ?? 0), 0) + outsideHeld;
  const inUse = cluster?.executors_in_use ?? sumHeld;
  const scale = Math.max(max ?? 0, inUse, sumHeld, 1);
  const details: string[] = [];
  if (cluster?.worker_type) {
    details.push(cluster.worker_type);
  }
  const workers = cluster?.workers ?? null;
  if (workers !== null) {
    details.push(plural(workers, 'worker'));
  }
  const executorCores = cluster?.executor_cores ?? null;
  if (executorCores !== null) {
    details.push(`${plural(executorCores, 'core')}/executor`);
  }
  if (cluster?.source) {
    details.push(`capacity from ${cluster.source}`);
  }
  const total = formatResources(cluster?.total_cores, cluster?.total_memory_mb);
  const drivers = driversPhrase(cluster);
  const note = clusterNote(cluster);
  return (
    <div className="jp-GlueSessions-cluster">
      <div className="jp-GlueSessions-cluster-line">
        <span className="jp-GlueSessions-cluster-count">
          <b>{formatNumber(inUse)}</b> of{' '}
          <b>{max === null ? UNKNOWN : formatNumber(max)}</b> executors in use
          {outsideHeld > 0 && (
            <span
              className="jp-GlueSessions-cluster-outside"
              title="Held by YARN applications that are none of Livy's sessions (see Held outside Livy)"
            >{`, ${formatNumber(outsideHeld)} outside Livy`}</span>
          )}
        </span>
        <span
          className="jp-GlueSessions-cluster-details"
          title={total ? `Cluster total: ${total}` : undefined}
        >
          {details.join(' · ')}
        </span>
      </div>
      <div
        className="jp-GlueSessions-cluster-track"
        role="img"
        aria-label={`${formatNumber(inUse)} of ${max === null ? 'unknown' : formatNumber(max)} executors in use: ${[
          ...held.map(s => `${sessionName(s)} ${formatNumber(s.executors)}`),
          ...outside.map(
            a =>
              `${outsideShortName(a, a.app_id ?? '')} outside Livy ${formatNumber(a.executors)}`
          )
        ].join(', ')}`}
      >
        {held.map(s => (
          <ClusterSegment
            key={s.id}
            id={s.id}
            name={sessionName(s)}
            owner={s.owner}
            status={statusOf(s)}
            executors={s.executors ?? 0}
            scale={scale}
            highlight={
              highlight === null
                ? null
                : highlight.has(s.id)
                  ? 'is-highlighted'
                  : 'is-dimmed'
            }
            onHover={onHover}
          />
        ))}
        {outside.map((a, i) => (
          <div
            key={a.app_id ?? i}
            className="jp-GlueSessions-cluster-seg is-outside"
            style={{ width: `${((a.executors ?? 0) / scale) * 100}%` }}
            title={`${describeOutside(a, a.app_id ?? 'application')} outside Livy: ${plural(a.executors, 'executor')}`}
          >
            <span className="jp-GlueSessions-cluster-segLabel">
              {outsideShortName(a, a.app_id ?? '')}
            </span>
          </div>
        ))}
      </div>
      {drivers && (
        <div
          className="jp-GlueSessions-cluster-drivers"
          title={
            'Driver (YARN application master) containers take cluster capacity ' +
            'outside the executor slots, which already leave it out.' +
            (total ? ` Cluster total: ${total}.` : '')
          }
        >
          {drivers}
        </div>
      )}
      {note && <div className="jp-GlueSessions-cluster-note">{note}</div>}
    </div>
  );
});

/**
 * One session's segment of the cluster bar: memoized on what it shows, as
 * most segments stay the same from one poll to the next.
 */
const ClusterSegment = React.memo(function ClusterSegment(props: {
  id: number;
  name: string;
  owner: string | null;
  status: string;
  executors: number;
  scale: number;
  highlight: 'is-highlighted' | 'is-dimmed' | null;
  onHover?: (id: number | null) => void;
}): JSX.Element {
  const { id, name, owner, executors, onHover } = props;
  return (
    <div
      className={
        `jp-GlueSessions-cluster-seg jp-GlueSessions-status-${props.status}` +
        (props.highlight ? ` ${props.highlight}` : '')
      }
      style={{ width: `${(executors / props.scale) * 100}%` }}
      title={`${name}${owner ? ` (${owner})` : ''}: ${plural(executors, 'executor')}`}
      onMouseEnter={() => onHover?.(id)}
      onMouseLeave={() => onHover?.(null)}
    >
      <span className="jp-GlueSessions-cluster-segLabel">
        {`${name.replace(/^livy-session-/, '#')}${owner ? ` ${owner}` : ''}`}
      </span>
    </div>
  );
});
