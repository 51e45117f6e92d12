import * as React from 'react';

import { capacity } from '../queries/cluster';
import { idlePhrase } from '../words/idle';
import { isOrphan } from '../queries/orphans';
import {
  ISentenceContext,
  sortAdvice,
  starvationSentences
} from '../words/sentences';
import {
  canStopSession,
  describeSession,
  executorSizeNote,
  findSession,
  isOwnSession,
  relations,
  sessionName
} from '../queries/sessions';
import { OutsideLivyApp, Session, Starvation } from '../snapshot';
import { sortSessions, statusOf } from '../words/status';
import { safeHttpUrl } from '../words/text';
import { GlueSessionsModel } from '../model/model';
import { IPanelSettings } from '../settings';
import { AdviceCard } from './Advice';
import { ClusterBar } from './Bars';
import { EndpointHeader } from './Header';
import { useNow, useSignal } from './hooks';
import { RowRelation, SessionRow } from './SessionRow';
import { confirmStopSession } from './StopSession';
import { OutsideLivyList } from './OutsideLivy';
import { StarvationList } from './Starvation';
import { ErrorNotice, Notice } from './States';
import { Timeline } from './Timeline';
import { useStatusSentences } from './statusSentences';
import { ViewState } from '../viewstate';
import { SparklinePaint, SparklinePainter } from '../perf/painter';
import { useSparklines } from '../perf/sparklines';
import { useRenderTiming } from '../perf/timing';
import { useRowUpdate } from '../perf/visibility';

/**
 * From this many sessions on, rows out of view are not laid out
 * (`is-many`, CSS content-visibility).
 */
const MANY = 40;

/**
 * The sessions before the first snapshot (one array: memoized parts keep it).
 */
const NO_SESSIONS: readonly Session[] = [];
const NO_OUTSIDE: readonly OutsideLivyApp[] = [];
const NO_STARVATION: readonly Starvation[] = [];

/**
 * Props of the panel's view.
 */
export interface IGlueSessionsViewProps {
  model: GlueSessionsModel;
  viewState: ViewState;
  settings: IPanelSettings;
  onOpenNotebook: (path: string) => void;
  onShowIdle: () => void;
}

/**
 * The whole panel: endpoint, cluster, starvation, sessions, advice.
 */
export function GlueSessionsView(props: IGlueSessionsViewProps): JSX.Element {
  const { model, viewState, settings } = props;
  // The model emits after its requests, outside React: render at once.
  useSignal(model.changed, { now: true });
  useSignal(viewState.changed);
  const now = useNow(1000);
  const listRef = React.useRef<HTMLUListElement>(null);

  const snapshot = model.snapshot;
  // The model keeps the sessions array (and each session) while unchanged.
  const sessions = snapshot?.sessions ?? NO_SESSIONS;

  // Rows in view show new data at once; the others in a background render
  // just after (RowVisibility).
  const { visibility, behind, rowData } = useRowUpdate(sessions);
  useRenderTiming(model, !behind);
  const sorted = React.useMemo(() => sortSessions(sessions), [sessions]);
  const shown = settings.showIdleSessions
    ? sorted
    : sorted.filter(s => statusOf(s) !== 'idle' || s.id === viewState.selected);
  const hiddenIdle = sorted.length - shown.length;

  // Move the keyboard focus to a session asked for by the command.
  const focusSeq = viewState.focusSeq;
  React.useEffect(() => {
    const id = viewState.pendingFocus;
    if (id === null || !listRef.current) {
      return;
    }
    const row = listRef.current.querySelector<HTMLElement>(
      `[data-session-id="${id}"]`
    );
    if (row) {
      row.scrollIntoView?.({ block: 'nearest' });
      row.focus();
      viewState.focusDone();
    }
  }, [focusSeq, shown.length, snapshot]);

  const active = viewState.active;
  const rels = relations(snapshot, active);
  const related = rels.starvedBy.size + rels.starving.size > 0;
  const relationOf = (id: number): RowRelation => {
    if (active === null) {
      return null;
    }
    if (id === active) {
      return 'focus';
    }
    if (rels.starvedBy.has(id)) {
      return 'culprit';
    }
    if (rels.starving.has(id)) {
      return 'victim';
    }
    return related ? 'unrelated' : null;
  };
  // Kept while the same sessions are highlighted (ClusterBar is memoized).
  const highlightKey =
    active === null || !related
      ? ''
      : [active, ...rels.starvedBy, ...rels.starving].join(',');
  const highlight = React.useMemo(
    () =>
      highlightKey
        ? new Set<number>(highlightKey.split(',').map(Number))
        : null,
    [highlightKey]
  );

  const c = capacity(snapshot?.cluster ?? null);
  // Bars span the cluster's capacity; a need beyond it is clipped (its number is shown).
  const scale =
    c ??
    Math.max(
      1,
      ...sessions.map(s => Math.max(s.executors ?? 0, s.fair_share ?? 0))
    );
  const sparkMax = c ?? Math.max(1, scale);

  const outsideLivy = snapshot?.outside_livy ?? NO_OUTSIDE;
  const starvationList = snapshot?.starvation ?? NO_STARVATION;
  const sentenceContext = React.useMemo<ISentenceContext>(
    () => ({ outside: outsideLivy, capacity: c, starvation: starvationList }),
    [outsideLivy, c, starvationList]
  );
  const sentenceOf = useStatusSentences(sessions, now, sentenceContext);

  const painter = React.useMemo(() => new SparklinePainter(), []);
  const sparklines = useSparklines(
    settings.showSparklines ? model.history : null,
    sessions,
    sparkMax,
    settings.historyMinutes
  );

  // Stable callbacks, so that memoized rows do not re-render for them.
  const shownRef = React.useRef(shown);
  shownRef.current = shown;
  const onNavigate = React.useCallback((id: number, delta: number) => {
    const list = shownRef.current;
    const next = list[list.findIndex(s => s.id === id) + delta];
    if (next && listRef.current) {
      listRef.current
        .querySelector<HTMLElement>(`[data-session-id="${next.id}"]`)
        ?.focus();
    }
  }, []);
  const openRef = React.useRef(props.onOpenNotebook);
  openRef.current = props.onOpenNotebook;
  const onOpenNotebook = React.useCallback(
    (path: string) => openRef.current(path),
    []
  );
  const onStop = React.useCallback(
    (session: Session) => void confirmStopSession(model, session),
    [model]
  );
  const retry = () => void model.refresh();

  // Nothing to show yet.
  if (!snapshot) {
    return (
      <div className="jp-GlueSessions-view">
        {model.error ? (
          <ErrorNotice
            error={model.error}
            retryInterval={model.retryInterval}
            stale={false}
            onRetry={retry}
          />
        ) : (
          <Notice kind="info" title="Loading…">
            Asking the glue-sessions server extension who holds the executors.
          </Notice>
        )}
      </div>
    );
  }

  const endpoint = snapshot.endpoint;
  const down = endpoint?.reachable === false;
  const starvation = starvationSentences(snapshot, now);
  const advice = settings.showAdvice
    ? sortAdvice(snapshot.advice, sessions)
    : [];
  const pending = viewState.pendingFocus;
  const missingFocus =
    pending !== null && !sessions.some(s => s.id === pending);

  return (
    <div
      className={
        'jp-GlueSessions-view' +
        (sessions.length > MANY ? ' is-many' : '') +
        (settings.compact ? ' is-compact' : '') +
        (down ? ' is-down' : '')
      }
    >
      {model.error && (
        <ErrorNotice
          error={model.error}
          retryInterval={model.retryInterval}
          stale={true}
          onRetry={retry}
        />
      )}

      <section className="jp-GlueSessions-section" aria-label="Endpoint">
        <EndpointHeader
          endpoint={endpoint}
          lastCheckedAt={model.lastCheckedAt}
          now={now}
        />
        {down && (
          <Notice
            kind="warning"
            title="The Livy endpoint does not answer"
            action={{ label: 'Retry now', onClick: retry }}
          >
            Check that the endpoint is running and that{' '}
            <code>c.GlueSessions.livy_url</code> (or the <code>url</code> in
            sparkmagic&apos;s <code>~/.sparkmagic/config.json</code>) points to
            it.
            {sessions.length > 0 && ' The sessions below are the last known.'}
          </Notice>
        )}
        <ClusterBar
          cluster={snapshot.cluster}
          sessions={sorted}
          outside={outsideLivy}
          highlight={highlight}
          onHover={viewState.hover}
        />
      </section>

      <Timeline
        history={model.history}
        sessions={sessions}
        selected={viewState.selected}
        onSelect={viewState.select}
      />

      <StarvationList
        items={starvation}
        sessions={sessions}
        highlight={active}
        onHover={viewState.hover}
        onSelect={viewState.select}
      />

      <section
        className="jp-GlueSessions-section jp-GlueSessions-sessions"
        aria-label="Sessions"
      >
        <h3 className="jp-GlueSessions-sectionTitle">
          Sessions{' '}
          <span className="jp-GlueSessions-count">{sessions.length}</span>
        </h3>
        {missingFocus && (
          <Notice
            kind="info"
            title={`${sessionName(null, pending!)} is not live`}
          >
            It is not among the sessions the endpoint reports now.
          </Notice>
        )}
        {sessions.length === 0 && !down && (
          <Notice kind="info" title="No Livy sessions">
            Nobody holds executors on{' '}
            {safeHttpUrl(endpoint?.url) ?? 'this endpoint'} right now. A session
            starts when a notebook with a sparkmagic kernel (PySpark, Spark)
            runs its first cell.
          </Notice>
        )}
        {shown.length > 0 && (
          <ul className="jp-GlueSessions-list" ref={listRef}>
            {shown.map(rowData).map(s => (
              <SessionRow
                key={s.id}
                session={s}
                scale={scale}
                compact={settings.compact}
                selected={viewState.selected === s.id}
                relation={relationOf(s.id)}
                sentence={sentenceOf(s)}
                idle={idlePhrase(s, now)}
                executorSize={executorSizeNote(s, snapshot.cluster)}
                sparklineMinutes={
                  sparklines.has(s.id) ? settings.historyMinutes : null
                }
                painter={painter}
                visibility={visibility}
                canStop={canStopSession(s)}
                onSelect={viewState.select}
                onHover={viewState.hover}
                onOpenNotebook={onOpenNotebook}
                onKeyNavigate={onNavigate}
                onStop={onStop}
              />
            ))}
          </ul>
        )}
        {hiddenIdle > 0 && (
          <div className="jp-GlueSessions-hidden">
            {hiddenIdle === 1
              ? '1 idle session hidden.'
              : `${hiddenIdle} idle sessions hidden.`}{' '}
            <button
              type="button"
              className="jp-GlueSessions-link"
              onClick={props.onShowIdle}
            >
              Show idle sessions
            </button>
          </div>
        )}
      </section>

      <OutsideLivyList apps={outsideLivy} sessions={sessions} now={now} />

      {advice.length > 0 && (
        <section
          className="jp-GlueSessions-section jp-GlueSessions-adviceList"
          aria-label="Advice"
        >
          <h3 className="jp-GlueSessions-sectionTitle">What to do</h3>
          <ul>
            {advice.map((a, i) => {
              const about = findSession(sessions, a.session);
              return (
                <AdviceCard
                  key={i}
                  advice={a}
                  about={
                    a.session === null
                      ? null
                      : describeSession(about, a.session)
                  }
                  own={isOwnSession(about)}
                  orphaned={isOrphan(about)}
                  onHover={viewState.hover}
                />
              );
            })}
          </ul>
        </section>
      )}
      <SparklinePaint
        painter={painter}
        drawings={sparklines}
        only={behind ? visibility : null}
      />
    </div>
  );
}
