/**
 * YARN applications that hold capacity outside Livy (the snapshot's
 * `outside_livy`, and each short session's `outside_culprits`), as the panel
 * and the hints name them. Pure.
 *
 * Their names, users and queues are untrusted text: only ever shown as text,
 * and cut to fit a sentence.
 */
import { OutsideLivyApp, Session } from '../snapshot';
import { count, formatNumber, truncate } from '../words/text';

/**
 * Longest application name a sentence shows (YARN names can be any length).
 */
const NAME_IN_SENTENCE = 40;

/**
 * Longest application name a chip or the toolbar shows.
 */
const SHORT_NAME = 24;

/**
 * The application outside Livy with this id, or null.
 */
export function findOutsideApp(
  apps: readonly OutsideLivyApp[],
  appId: string
): OutsideLivyApp | null {
  return apps.find(a => a.app_id === appId) ?? null;
}

/**
 * The applications outside Livy a short session waits on, as the server
 * names them (`outside_culprits`): their app ids, each once, in its order.
 */
export function outsideCulpritsOf(session: Session | null): string[] {
  return [...new Set(session?.outside_culprits ?? [])];
}

/**
 * "application_1_0007 (nightly etl, user etl)": its id, what YARN calls it
 * and whose it is, as far as known.
 */
export function describeOutside(
  app: OutsideLivyApp | null,
  appId: string
): string {
  const details: string[] = [];
  const name = app?.name?.trim();
  if (name) {
    details.push(truncate(name, NAME_IN_SENTENCE));
  }
  const user = app?.user?.trim();
  if (user) {
    details.push(`user ${truncate(user, NAME_IN_SENTENCE)}`);
  }
  return details.length ? `${appId} (${details.join(', ')})` : appId;
}

/**
 * "application_1_0007 (nightly etl, user etl) outside Livy holds 4 of 5":
 * the holder side of a sentence (`capacity`: the endpoint's executor slots).
 */
export function outsideHolding(
  app: OutsideLivyApp | null,
  appId: string,
  capacity: number | null
): string {
  const who = `${describeOutside(app, appId)} outside Livy`;
  const held = app?.executors ?? null;
  if (held === null) {
    return who;
  }
  const of = capacity === null ? '' : ` of ${formatNumber(capacity)}`;
  return `${who} holds ${formatNumber(held)}${of}`;
}

/**
 * A few words for an application outside Livy (a chip, the toolbar): its
 * name, else its id.
 */
export function outsideShortName(
  app: OutsideLivyApp | null,
  appId: string
): string {
  const name = app?.name?.trim();
  return name ? truncate(name, SHORT_NAME) : appId;
}

/**
 * The executors the applications outside Livy hold (their containers but
 * their AMs, counted as a session's are).
 */
export function outsideExecutors(apps: readonly OutsideLivyApp[]): number {
  return apps.reduce((sum, a) => sum + (count(a.executors) ?? 0), 0);
}
