/**
 * The parts of a session row that do not change with its numbers (head,
 * meta, links) and its stats line, each memoized on primitive props.
 */
import * as React from 'react';

import {
  formatMemory,
  formatNumber,
  formatPercent,
  notebookName,
  plural,
  safeHttpUrl,
  UNKNOWN
} from '../words/text';
import type { RowRelation } from './SessionRow';
import { StatusBadge } from './StatusBadge';

export const RowHead = React.memo(function RowHead(props: {
  status: string;
  since: string | null;
  name: string;
  /**
   * The name given at creation (Livy's `name`), if any: shown when the row's
   * name is another (Livy names the Spark application after it).
   */
  livyName: string | null;
  own: boolean;
  /** Nobody uses it (the server's notebook.orphaned). */
  orphaned: boolean;
  /** Why its driver cannot start, for the tag's tooltip; null when it can. */
  cannotStart: string | null;
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
      {props.livyName && props.livyName !== props.name && (
        <span
          className="jp-GlueSessions-row-livyName"
          title="Livy session name, given at creation"
        >
          {props.livyName}
        </span>
      )}
      {props.cannotStart && (
        <span
          className="jp-GlueSessions-cannotStartTag"
          title={props.cannotStart}
        >
          cannot start
        </span>
      )}
      {props.orphaned && props.status !== 'orphaned' && (
        <span className="jp-GlueSessions-orphanTag" title={ORPHANED_TITLE}>
          orphaned
        </span>
      )}
      {props.own && !props.orphaned && (
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

/**
 * What the orphaned tag means.
 */
const ORPHANED_TITLE =
  'The notebook kernel of this server that created it no longer runs it: nobody uses it.';

export const RowMeta = React.memo(function RowMeta(props: {
  nbPath: string | null;
  /** The notebook's kernel no longer runs it: the path is where it came from. */
  orphaned: boolean;
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
          title={
            props.orphaned
              ? `It came from ${nbPath}, whose kernel no longer runs it: open ${nbPath}`
              : `Open ${nbPath}`
          }
          onClick={event => {
            event.stopPropagation();
            props.onOpenNotebook(nbPath);
          }}
        >
          {props.orphaned ? `from ${nbName}` : nbName}
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

export const RowStats = React.memo(function RowStats(props: {
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
      <span title={`cores held${driver}`}>{plural(props.cores, 'core')}</span>
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
export const RowLinks = React.memo(function RowLinks(props: {
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
