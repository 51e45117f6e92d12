import * as React from 'react';

import { IStarvationItem } from '../words/sentences';
import { findSession, sessionName } from '../queries/sessions';
import { Session } from '../snapshot';
import { statusOf } from '../words/status';

/**
 * A session named in a starvation edge.
 */
interface IChip {
  id: number;
  name: string;
  status: string;
}

/**
 * Who is starving whom: a sentence and a small picture per starving session.
 */
export function StarvationList(props: {
  items: IStarvationItem[];
  sessions: readonly Session[];
  highlight: number | null;
  onHover: (id: number | null) => void;
  onSelect: (id: number) => void;
}): JSX.Element | null {
  const { items, sessions, highlight, onHover, onSelect } = props;
  if (!items.length) {
    return null;
  }
  const chip = (id: number): IChip => {
    const s = findSession(sessions, id);
    return { id, name: sessionName(s, id), status: s ? statusOf(s) : 'gone' };
  };
  return (
    <section
      className="jp-GlueSessions-section jp-GlueSessions-starvation"
      aria-label="Starvation"
    >
      <h3 className="jp-GlueSessions-sectionTitle">Who is starving whom</h3>
      <ul>
        {items.map(item => (
          <StarvationItem
            key={item.session}
            victim={chip(item.session)}
            by={item.by.map(chip)}
            outside={item.outside}
            text={item.text}
            highlighted={
              highlight !== null &&
              (highlight === item.session || item.by.includes(highlight))
            }
            onHover={onHover}
            onSelect={onSelect}
          />
        ))}
      </ul>
    </section>
  );
}

interface IStarvationItemProps {
  victim: IChip;
  by: IChip[];
  /** The applications outside Livy it waits on, in a few words each. */
  outside: string[];
  text: string;
  highlighted: boolean;
  onHover: (id: number | null) => void;
  onSelect: (id: number) => void;
}

/**
 * One starving session: rendered again only when what it shows changed.
 */
const StarvationItem = React.memo(function StarvationItem(
  props: IStarvationItemProps
): JSX.Element {
  const { victim, onHover } = props;
  return (
    <li
      className={
        'jp-GlueSessions-starvationItem' +
        (props.highlighted ? ' is-highlighted' : '')
      }
      onMouseEnter={() => onHover(victim.id)}
      onMouseLeave={() => onHover(null)}
    >
      <Edge
        victim={victim}
        by={props.by}
        outside={props.outside}
        onSelect={props.onSelect}
      />
      <p className="jp-GlueSessions-sentence">{props.text}</p>
    </li>
  );
}, sameItem);

interface IEdgeProps {
  victim: IChip;
  by: IChip[];
  outside: string[];
  onSelect: (id: number) => void;
}

/**
 * The picture of an edge: the victim's chip, then its culprits' chips (kept
 * while their names and statuses stay, though the sentence changes).
 */
const Edge = React.memo(function Edge(props: IEdgeProps): JSX.Element {
  const { victim, by, outside, onSelect } = props;
  const chip = (c: IChip) => (
    <span className={`jp-GlueSessions-chip jp-GlueSessions-status-${c.status}`}>
      {c.name}
    </span>
  );
  return (
    <div
      className="jp-GlueSessions-edge"
      aria-hidden="true"
      onClick={() => onSelect(victim.id)}
    >
      {chip(victim)}
      <span className="jp-GlueSessions-edge-arrow">starved by</span>
      {by.map(c => (
        <React.Fragment key={c.id}>{chip(c)}</React.Fragment>
      ))}
      {outside.map((name, i) => (
        <span
          key={`outside-${i}`}
          className="jp-GlueSessions-chip is-outside"
          title="outside Livy"
        >
          {name}
        </span>
      ))}
      {by.length + outside.length === 0 && (
        <span className="jp-GlueSessions-edge-none">a full cluster</span>
      )}
    </div>
  );
}, sameEdge);

function sameChip(x: IChip, y: IChip): boolean {
  return x.id === y.id && x.name === y.name && x.status === y.status;
}

function sameEdge(a: IEdgeProps, b: IEdgeProps): boolean {
  return (
    a.onSelect === b.onSelect &&
    sameChip(a.victim, b.victim) &&
    a.by.length === b.by.length &&
    a.by.every((c, i) => sameChip(c, b.by[i])) &&
    a.outside.length === b.outside.length &&
    a.outside.every((name, i) => name === b.outside[i])
  );
}

function sameItem(a: IStarvationItemProps, b: IStarvationItemProps): boolean {
  return (
    a.text === b.text &&
    a.highlighted === b.highlighted &&
    a.onHover === b.onHover &&
    sameEdge(a, b)
  );
}
