import * as React from 'react';

import {
  describeSession,
  formatMemory,
  formatNumber,
  formatPercent,
  isNum,
  isOwnSession,
  notebookName,
  safeHttpUrl,
  sessionName,
  statusOf,
  statusSentence,
  UNKNOWN
} from '../format';
import { ISession } from '../types';
import { ExecutorBar } from './Bars';
import { Sparkline } from './Sparkline';
import { StatusBadge } from './StatusBadge';

/**
 * How a row relates to the highlighted session.
 */
export type RowRelation = 'focus' | 'culprit' | 'victim' | 'unrelated' | null;

/**
 * Props of a session row.
 */
export interface ISessionRowProps {
  session: ISession;
  sessions: readonly ISession[];
  scale: number;
  now: number;
  compact: boolean;
  selected: boolean;
  relation: RowRelation;
  sparkline: [number, number | null][] | null;
  sparklineMax: number;
  historyMinutes: number;
  onSelect: (id: number) => void;
  onHover: (id: number | null) => void;
  onOpenNotebook: (path: string) => void;
  onKeyNavigate: (id: number, delta: number) => void;
}

/**
 * One live Livy session.
 */
export function SessionRow(props: ISessionRowProps): JSX.Element {
  const { session: s, sessions, compact, relation } = props;
  const status = statusOf(s);
  const own = isOwnSession(s);
  const nbPath = own ? (s.notebook?.path as string) : null;
  const nbName = notebookName(nbPath);
  const sparkUi = safeHttpUrl(s.spark_ui_url);
  const driverLog = safeHttpUrl(s.driver_log_url);
  const name = sessionName(s);

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

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.target !== event.currentTarget) {
      return;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      props.onSelect(s.id);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      props.onKeyNavigate(s.id, event.key === 'ArrowDown' ? 1 : -1);
    }
  };

  const tasks =
    isNum(s.running_tasks) || isNum(s.pending_tasks)
      ? `${formatNumber(s.running_tasks)} running, ${formatNumber(s.pending_tasks)} pending tasks`
      : null;

  return (
    <li
      className={classes.join(' ')}
      tabIndex={0}
      data-session-id={s.id}
      aria-current={props.selected ? 'true' : undefined}
      aria-label={`${describeSession(s)}, ${status}`}
      onClick={() => props.onSelect(s.id)}
      onKeyDown={onKeyDown}
      onMouseEnter={() => props.onHover(s.id)}
      onMouseLeave={() => props.onHover(null)}
      onFocus={() => props.onHover(s.id)}
      onBlur={() => props.onHover(null)}
    >
      <div className="jp-GlueSessions-row-head">
        <StatusBadge status={status} since={s.status_since} />
        <span className="jp-GlueSessions-row-name">{name}</span>
        {own && <span className="jp-GlueSessions-ownTag">your notebook</span>}
        {s.stale && (
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
          <span className="jp-GlueSessions-relTag is-victim">
            starved by it
          </span>
        )}
      </div>

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
        <span className="jp-GlueSessions-owner" title="owner">
          {s.owner || 'unknown owner'}
        </span>
        {!compact && s.kind && <span title="kind">{s.kind}</span>}
        {!compact && (
          <span title="Livy state">{s.state ? String(s.state) : UNKNOWN}</span>
        )}
      </div>

      <ExecutorBar session={s} scale={props.scale} />

      {!compact && (
        <div className="jp-GlueSessions-row-detail">
          <div className="jp-GlueSessions-row-stats">
            <span title="cores held">{formatNumber(s.cores)} cores</span>
            <span title="executor memory held">
              {formatMemory(s.memory_mb)}
            </span>
            <span title="share of the cluster's executors">
              {formatPercent(s.share)} of cluster
            </span>
            {isNum(s.max_executors) && (
              <span title="spark.dynamicAllocation.maxExecutors">
                max {formatNumber(s.max_executors)}
              </span>
            )}
          </div>
          {tasks && <div className="jp-GlueSessions-row-tasks">{tasks}</div>}
          {props.sparkline && (
            <Sparkline
              points={props.sparkline}
              max={props.sparklineMax}
              minutes={props.historyMinutes}
            />
          )}
        </div>
      )}

      {!compact && (
        <div className="jp-GlueSessions-row-relations">
          {statusSentence(s, sessions, props.now)}
        </div>
      )}

      {!compact && (sparkUi || driverLog) && (
        <div className="jp-GlueSessions-row-links">
          {sparkUi && (
            <a
              href={sparkUi}
              target="_blank"
              rel="noopener noreferrer"
              onClick={event => event.stopPropagation()}
            >
              Spark UI
            </a>
          )}
          {driverLog && (
            <a
              href={driverLog}
              target="_blank"
              rel="noopener noreferrer"
              onClick={event => event.stopPropagation()}
            >
              Driver log
            </a>
          )}
          {s.app_id && (
            <span
              className="jp-GlueSessions-appId"
              title="Spark application id"
            >
              {s.app_id}
            </span>
          )}
        </div>
      )}

      {s.error && <div className="jp-GlueSessions-row-error">{s.error}</div>}
    </li>
  );
}
