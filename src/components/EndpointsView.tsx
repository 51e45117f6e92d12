import * as React from 'react';

import { EndpointsModel } from '../endpoints';
import { IPanelSettings } from '../settings';
import { statusOf } from '../status';
import { ViewState } from '../viewstate';
import { GlueSessionsView } from './GlueSessionsView';
import { useSignal } from './hooks';
import { Notice } from './States';

/**
 * Props of the view of every endpoint.
 */
export interface IEndpointsViewProps {
  endpoints: EndpointsModel;
  /** The selection of an endpoint's view (null: the configured endpoint). */
  viewStateOf: (endpoint: string | null) => ViewState;
  settings: IPanelSettings;
  onOpenNotebook: (path: string) => void;
  onShowIdle: () => void;
}

/**
 * The panel's content: with one endpoint, its view as it always was; with
 * several, one section per endpoint, each headed by its Livy URL.
 */
export function EndpointsView(props: IEndpointsViewProps): JSX.Element {
  const { endpoints, viewStateOf, settings } = props;
  useSignal(endpoints.changed);
  const entries = endpoints.entries;
  const notPolled = (
    <NotPolled urls={endpoints.notPolled} max={endpoints.maxEndpoints} />
  );

  if (entries.length <= 1) {
    return (
      <>
        <GlueSessionsView
          model={endpoints.configured}
          viewState={viewStateOf(null)}
          settings={settings}
          onOpenNotebook={props.onOpenNotebook}
          onShowIdle={props.onShowIdle}
        />
        {notPolled}
      </>
    );
  }
  return (
    <div className="jp-GlueSessions-endpoints">
      {entries.map(entry => {
        const configured = entry.model === endpoints.configured;
        return (
          <EndpointSection
            key={configured ? '' : entry.id!}
            entry={entry}
            configured={configured}
            viewState={viewStateOf(configured ? null : entry.id)}
            settings={settings}
            onOpenNotebook={props.onOpenNotebook}
            onShowIdle={props.onShowIdle}
          />
        );
      })}
      {notPolled}
    </div>
  );
}

/**
 * One endpoint: a heading (its URL, whether it answers, its sessions) that
 * folds its view away, and its view.
 */
export function EndpointSection(props: {
  entry: EndpointsModel.IEntry;
  configured: boolean;
  viewState: ViewState;
  settings: IPanelSettings;
  onOpenNotebook: (path: string) => void;
  onShowIdle: () => void;
}): JSX.Element {
  const { entry, configured } = props;
  const model = entry.model;
  useSignal(model.changed);
  useSignal(props.viewState.changed);
  const [open, setOpen] = React.useState(true);
  // A session of this endpoint to focus (the open command): show it.
  const focusSeq = props.viewState.focusSeq;
  React.useEffect(() => {
    if (props.viewState.pendingFocus !== null) {
      setOpen(true);
    }
  }, [focusSeq]);
  const bodyId = React.useId();
  const facts = Private.facts(entry);
  const url = facts.url ?? 'The configured Livy endpoint';
  // Unknown to the server now (404): the next list drops it.
  const gone = !configured && model.error?.kind === 'missing';

  return (
    <section
      className={`jp-GlueSessions-endpointGroup is-${facts.state}`}
      aria-label={`Livy endpoint ${url}`}
      data-endpoint={entry.id ?? ''}
    >
      <h3 className="jp-GlueSessions-endpointTitle">
        <button
          type="button"
          className="jp-GlueSessions-endpointToggle"
          aria-expanded={open}
          aria-controls={bodyId}
          title={`${open ? 'Hide' : 'Show'} the sessions of ${url}`}
          onClick={() => setOpen(!open)}
        >
          <span className="jp-GlueSessions-caret" aria-hidden="true" />
          <span className="jp-GlueSessions-dot" aria-hidden="true" />
          <span className="jp-GlueSessions-endpointTitle-url">{url}</span>
        </button>
        <span className="jp-GlueSessions-endpointTitle-facts">
          {configured && (
            <>
              <span className="jp-GlueSessions-endpointTitle-tag">
                configured
              </span>{' '}
            </>
          )}
          {Private.factsLine(facts)}
        </span>
      </h3>
      <div id={bodyId} hidden={!open}>
        {open &&
          (gone ? (
            <div className="jp-GlueSessions-view">
              <Notice kind="info" title="No longer polled">
                The server stopped polling this endpoint.
              </Notice>
            </div>
          ) : (
            <GlueSessionsView
              model={model}
              viewState={props.viewState}
              settings={props.settings}
              onOpenNotebook={props.onOpenNotebook}
              onShowIdle={props.onShowIdle}
            />
          ))}
      </div>
    </section>
  );
}

/**
 * The Livy URLs kernels used that the server does not poll, in one line.
 */
function NotPolled(props: {
  urls: readonly string[];
  max: number | null;
}): JSX.Element | null {
  const { urls, max } = props;
  if (urls.length === 0) {
    return null;
  }
  const why =
    max === null
      ? 'not polled'
      : `not polled (the server polls at most ${max} endpoint${max === 1 ? '' : 's'})`;
  return (
    <p className="jp-GlueSessions-notPolled">
      {urls.length === 1 ? 'Also used, ' : `${urls.length} more used, `}
      {why}: {urls.join(', ')}
    </p>
  );
}

/**
 * Module-private helpers.
 */
namespace Private {
  /**
   * What an endpoint's heading says.
   */
  export interface IFacts {
    url: string | null;
    state: 'up' | 'down' | 'unknown';
    sessions: number | null;
    starving: number | null;
  }

  /**
   * The heading's facts: from the endpoint's own snapshot when it has one
   * (the same poll as its view), else from the endpoints list.
   */
  export function facts(entry: EndpointsModel.IEntry): IFacts {
    const snapshot = entry.model.snapshot;
    const reachable = snapshot
      ? (snapshot.endpoint?.reachable ?? null)
      : (entry.ref?.reachable ?? null);
    const state =
      reachable === true ? 'up' : reachable === false ? 'down' : 'unknown';
    if (snapshot) {
      return {
        url: entry.id ?? snapshot.endpoint?.url ?? null,
        state,
        sessions: snapshot.sessions.length,
        starving: snapshot.sessions.filter(s => statusOf(s) === 'starving')
          .length
      };
    }
    return {
      url: entry.id,
      state,
      sessions: entry.ref?.sessions ?? null,
      starving: entry.ref?.starving ?? null
    };
  }

  /**
   * "unreachable · 3 sessions · 1 starving".
   */
  export function factsLine(facts: IFacts): string {
    const parts: string[] = [
      facts.state === 'up'
        ? 'reachable'
        : facts.state === 'down'
          ? 'unreachable'
          : 'checking…'
    ];
    if (facts.sessions !== null) {
      parts.push(
        facts.sessions === 1 ? '1 session' : `${facts.sessions} sessions`
      );
    }
    if (facts.starving) {
      parts.push(`${facts.starving} starving`);
    }
    return parts.join(' · ');
  }
}
