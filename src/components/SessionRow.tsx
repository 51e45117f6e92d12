import * as React from 'react';

import {
  describeSession,
  isOwnSession,
  pendingContainersPhrase,
  sessionName,
  startingExecutors
} from '../sessions';
import { Session } from '../snapshot';
import { statusOf } from '../status';
import {
  formatMemory,
  formatNumber,
  formatPercent,
  formatResources,
  notebookName,
  safeHttpUrl,
  UNKNOWN
} from '../text';
import { ExecutorBar } from './Bars';
import { Sparkline, SparklinePainter } from './Sparkline';
import { StatusBadge } from './StatusBadge';

/**
 * How a row relates to the highlighted session.
 */
export type RowRelation = 'focus' | 'culprit' | 'victim' | 'unrelated' | null;

/**
 * Props of a session row.
 *
 * Rows are memoized (React.memo): every prop must keep its identity while
 * its meaning does not change (the model keeps unchanged sessions, the view
 * passes stable callbacks and precomputed strings), so that an update of
 * 200 sessions re-renders only the rows that changed.
 */
export interface ISessionRowProps {
  session: Session;
  /** Executors that the bar spans. */
  scale: number;
  compact: boolean;
  selected: boolean;
  relation: RowRelation;
  /** The status line (statusSentence), computed by the view with its clock. */
  sentence: string;
  /**
   * The size of this session's executors when it differs from the cluster's
   * (sessions.executorSizeNote), else null.
   */
  executorSize: string | null;
  /**
   * Minutes of the sparkline's window, or null for no sparkline (nothing
   * known); its line is drawn by `painter`, not by rendering the row.
   */
  sparklineMinutes: number | null;
  painter: SparklinePainter;
  /** Offer to stop the session (sessions.canStopSession). */
  canStop: boolean;
  onSelect: (id: number) => void;
  onHover: (id: number | null) => void;
  onOpenNotebook: (path: string) => void;
  onKeyNavigate: (id: number, delta: number) => void;
  onStop: (session: Session) => void;
}

/**
 * One live Livy session.
 *
 * The row and its parts are memoized on primitive props, so that a session
 * whose task counts changed re-renders its task line, not its whole subtree.
 */
export const SessionRow = React.memo(function SessionRow(
  props: ISessionRowProps
): JSX.Element {
  const { session: s, compact, relation, onSelect, onHover, onStop } = props;
  const status = statusOf(s);
  const own = isOwnSession(s);
  const nbPath = own ? (s.notebook?.path ?? null) : null;
  const name = sessionName(s);
  const id = s.id;

  const classes = ['jp-GlueSessions-row', `jp-GlueSessions-row-${status}`];
  if (own) {
    classes.push('is-own');
  }
  if (props.selected) {
    classes.push('is-selected');
  }
  if (relation) {
    classes.push(`is-${relation}`);
  }
  if (compact) {
    classes.push('is-compact');
  }
  if (s.stale) {
    classes.push('is-stale');
  }

  // The same handlers while the session and the callbacks are the same: a row
  // rendered again for new numbers does not update its <li>.
  const onKeyNavigate = props.onKeyNavigate;
  const handlers = React.useMemo(
    () => ({
      onClick: () => onSelect(id),
      onKeyDown: (event: React.KeyboardEvent) => {
        if (event.target !== event.currentTarget) {
          return;
        }
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          onSelect(id);
        } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          event.preventDefault();
          onKeyNavigate(id, event.key === 'ArrowDown' ? 1 : -1);
        }
      },
      onMouseEnter: () => onHover(id),
      onMouseLeave: () => onHover(null),
      onFocus: () => onHover(id),
      onBlur: () => onHover(null)
    }),
    [id, onSelect, onHover, onKeyNavigate]
  );

  // The latest session for the stop button, without re-rendering the head.
  const latest = React.useRef(s);
  latest.current = s;
  const stop = React.useCallback(() => onStop(latest.current), [onStop]);

  const tasks =
    s.running_tasks !== null || s.pending_tasks !== null
      ? `${formatNumber(s.running_tasks)} running, ${formatNumber(s.pending_tasks)} pending tasks`
      : null;

  return (
    <li
      className={classes.join(' ')}
      tabIndex={0}
      data-session-id={id}
      aria-current={props.selected ? 'true' : undefined}
      aria-label={`${describeSession(s)}, ${status}`}
      onClick={handlers.onClick}
      onKeyDown={handlers.onKeyDown}
      onMouseEnter={handlers.onMouseEnter}
      onMouseLeave={handlers.onMouseLeave}
      onFocus={handlers.onFocus}
      onBlur={handlers.onBlur}
    >
      <RowHead
        status={status}
        since={s.status_since}
        name={name}
        own={own}
        stale={s.stale}
        relation={relation}
        canStop={props.canStop}
        onStop={stop}
      />
      <RowMeta
        nbPath={nbPath}
        labelledNotebook={own ? null : s.notebook_label}
        owner={s.owner}
        kind={s.kind}
        state={s.state}
        compact={compact}
        onOpenNotebook={props.onOpenNotebook}
      />
      <ExecutorBar
        name={name}
        status={status}
        held={s.executors}
        starting={startingExecutors(s)}
        need={s.need}
        fair={s.fair_share}
        scale={props.scale}
      />
      {!compact && (
        <div className="jp-GlueSessions-row-detail">
          <RowStats
            cores={s.cores}
            memoryMb={s.memory_mb}
            share={s.share}
            maxExecutors={s.max_executors}
            executorSize={props.executorSize}
            driver={formatResources(s.driver_cores, s.driver_memory_mb)}
            pendingContainers={pendingContainersPhrase(s)}
          />
          {tasks && <div className="jp-GlueSessions-row-tasks">{tasks}</div>}
          {props.sparklineMinutes !== null && (
            <Sparkline
              id={id}
              minutes={props.sparklineMinutes}
              painter={props.painter}
            />
          )}
        </div>
      )}
      {!compact && (
        <div className="jp-GlueSessions-row-relations">{props.sentence}</div>
      )}
      {!compact && (
        <RowLinks
          sparkUiUrl={s.spark_ui_url}
          driverLogUrl={s.driver_log_url}
          appId={s.app_id}
        />
      )}
      {s.error && <div className="jp-GlueSessions-row-error">{s.error}</div>}
    </li>
  );
});

const RowHead = React.memo(function RowHead(props: {
  status: string;
  since: string | null;
  name: string;
  own: boolean;
  stale: boolean;
  relation: RowRelation;
  canStop: boolean;
  onStop: () => void;
}): JSX.Element {
  const { relation } = props;
  return (
    <div className="jp-GlueSessions-row-head">
      <StatusBadge status={props.status} since={props.since} />
      <span className="jp-GlueSessions-row-name">{props.name}</span>
      {props.own && (
        <span className="jp-GlueSessions-ownTag">your notebook</span>
      )}
      {props.stale && (
        <span
          className="jp-GlueSessions-staleTag"
          title="The endpoint did not answer: this is the last known state"
        >
          last known
        </span>
      )}
      {relation === 'culprit' && (
        <span className="jp-GlueSessions-relTag is-culprit">starves it</span>
      )}
      {relation === 'victim' && (
        <span className="jp-GlueSessions-relTag is-victim">starved by it</span>
      )}
      {props.canStop && (
        <button
          type="button"
          className="jp-GlueSessions-button jp-GlueSessions-stop"
          title={`Stop ${props.name}: DELETE its Livy session`}
          onClick={event => {
            event.stopPropagation();
            props.onStop();
          }}
        >
          Stop session
        </button>
      )}
    </div>
  );
});

const RowMeta = React.memo(function RowMeta(props: {
  nbPath: string | null;
  /** Another instance's notebook, from the session's label: shown, not opened. */
  labelledNotebook: string | null;
  owner: string | null;
  kind: string | null;
  state: string | null;
  compact: boolean;
  onOpenNotebook: (path: string) => void;
}): JSX.Element {
  const { nbPath, compact } = props;
  const nbName = notebookName(nbPath);
  return (
    <div className="jp-GlueSessions-row-meta">
      {nbPath && nbName && (
        <button
          type="button"
          className="jp-GlueSessions-link jp-GlueSessions-notebook"
          title={`Open ${nbPath}`}
          onClick={event => {
            event.stopPropagation();
            props.onOpenNotebook(nbPath);
          }}
        >
          {nbName}
        </button>
      )}
      {props.labelledNotebook && (
        <span
          className="jp-GlueSessions-notebook-label"
          title={`started from ${props.labelledNotebook} (its owner's label)`}
        >
          {notebookName(props.labelledNotebook)}
        </span>
      )}
      <span className="jp-GlueSessions-owner" title="owner">
        {props.owner || 'unknown owner'}
      </span>
      {!compact && props.kind && <span title="kind">{props.kind}</span>}
      {!compact && <span title="Livy state">{props.state || UNKNOWN}</span>}
    </div>
  );
});

const RowStats = React.memo(function RowStats(props: {
  cores: number | null;
  memoryMb: number | null;
  share: number | null;
  maxExecutors: number | null;
  /** "4 cores · 8 GiB" when the executors differ from the cluster's. */
  executorSize: string | null;
  /** The driver's "1 core · 1 GiB", if known (in the tooltip). */
  driver: string | null;
  /** "6 containers pending", if any. */
  pendingContainers: string | null;
}): JSX.Element {
  const driver = props.driver ? `; the driver takes ${props.driver}` : '';
  // One text node per span (template strings): 200 rows can change at once.
  return (
    <div className="jp-GlueSessions-row-stats">
      <span title={`cores held${driver}`}>
        {`${formatNumber(props.cores)} cores`}
      </span>
      <span title={`executor memory held${driver}`}>
        {formatMemory(props.memoryMb)}
      </span>
      {props.executorSize && (
        <span title="size of one executor of this session, not the cluster's usual size">
          {`${props.executorSize} per executor`}
        </span>
      )}
      <span title="share of the cluster's executors">
        {`${formatPercent(props.share)} of cluster`}
      </span>
      {props.maxExecutors !== null && (
        <span title="spark.dynamicAllocation.maxExecutors">
          {`max ${formatNumber(props.maxExecutors)}`}
        </span>
      )}
      {props.pendingContainers && (
        <span
          className="jp-GlueSessions-row-pending"
          title="Executor containers this session asked YARN for, not allocated yet: YARN waits for cluster capacity"
        >
          {props.pendingContainers}
        </span>
      )}
    </div>
  );
});

/**
 * Links to the Spark UI and the driver log: only http(s) URLs become links.
 */
const RowLinks = React.memo(function RowLinks(props: {
  sparkUiUrl: string | null;
  driverLogUrl: string | null;
  appId: string | null;
}): JSX.Element | null {
  const links = [
    { label: 'Spark UI', href: safeHttpUrl(props.sparkUiUrl) },
    { label: 'Driver log', href: safeHttpUrl(props.driverLogUrl) }
  ].filter(link => link.href);
  if (!links.length) {
    return null;
  }
  return (
    <div className="jp-GlueSessions-row-links">
      {links.map(link => (
        <a
          key={link.label}
          href={link.href!}
          target="_blank"
          rel="noopener noreferrer"
          onClick={event => event.stopPropagation()}
        >
          {link.label}
        </a>
      ))}
      {props.appId && (
        <span className="jp-GlueSessions-appId" title="Spark application id">
          {props.appId}
        </span>
      )}
    </div>
  );
});
