import * as React from 'react';

import { cannotStartWords } from '../words/cannotStart';
import { isOrphan } from '../queries/orphans';
import {
  describeSession,
  isOwnSession,
  pendingContainersPhrase,
  sessionName,
  startingExecutors
} from '../queries/sessions';
import { Session } from '../snapshot';
import { statusOf } from '../words/status';
import { formatNumber, formatResources } from '../words/text';
import { ExecutorBar } from './Bars';
import { Sparkline } from './Sparkline';
import { RowHead, RowLinks, RowMeta, RowStats } from './RowParts';
import { CannotStartNote, IdleNote } from './RowNotes';
import { SparklinePainter } from '../perf/painter';
import { RowVisibility, useWatchedRow } from '../perf/visibility';

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
  /** How long Livy has called it idle, when Livy ends it (idlePhrase), if known. */
  idle: string | null;
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
  /** Told where the row's element is (rows out of view update later). */
  visibility: RowVisibility;
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
  const orphaned = isOrphan(s);
  const cannotStart = cannotStartWords(s);
  const name = sessionName(s);
  const id = s.id;

  const classes = ['jp-GlueSessions-row', `jp-GlueSessions-row-${status}`];
  if (own) {
    classes.push('is-own');
  }
  if (orphaned) {
    classes.push('is-orphaned');
  }
  if (cannotStart) {
    classes.push('is-cannotStart');
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

  const watch = useWatchedRow(props.visibility, id);

  // The latest session for the stop button, without re-rendering the head.
  const latest = React.useRef(s);
  latest.current = s;
  const stop = React.useCallback(() => onStop(latest.current), [onStop]);

  // The driver's resources, in the cannot-start note and the stats' tooltips.
  const driver = formatResources(s.driver_cores, s.driver_memory_mb);
  const tasks =
    s.running_tasks !== null || s.pending_tasks !== null
      ? `${formatNumber(s.running_tasks)} running, ${formatNumber(s.pending_tasks)} pending tasks`
      : null;

  return (
    <li
      ref={watch}
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
        livyName={s.livy_name}
        own={own}
        orphaned={orphaned}
        cannotStart={cannotStart ? cannotStart.help : null}
        stale={s.stale}
        relation={relation}
        canStop={props.canStop}
        onStop={stop}
      />
      <RowMeta
        nbPath={nbPath}
        orphaned={orphaned}
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
      {!compact && cannotStart && (
        <CannotStartNote
          state={s.state}
          driver={driver}
          queue={s.queue}
          diagnostics={s.diagnostics}
        />
      )}
      {!compact && props.idle && <IdleNote text={props.idle} />}
      {!compact && (
        <div className="jp-GlueSessions-row-detail">
          <RowStats
            cores={s.cores}
            memoryMb={s.memory_mb}
            share={s.share}
            maxExecutors={s.max_executors}
            executorSize={props.executorSize}
            driver={driver}
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
