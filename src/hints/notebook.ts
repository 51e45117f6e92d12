/**
 * Which notebooks the hints are about: sparkmagic's kernels, and the Livy
 * session a notebook drives. Pure.
 */
import { Session, Snapshot } from '../snapshot';
import { sortSessions, statusOf, statusSeverity } from '../status';

/**
 * Kernel names of sparkmagic's wrapper kernels.
 */
export const SPARKMAGIC_KERNELS: readonly string[] = [
  'pysparkkernel',
  'sparkkernel',
  'sparkrkernel'
];

/**
 * The notebook a hint belongs to.
 */
export interface INotebookInfo {
  /** The id of the notebook's kernel, if it has one. */
  kernelId?: string | null;
  /** The kernel's name (e.g. "pysparkkernel"). */
  kernelName?: string | null;
  /** The kernel's display name (e.g. "PySpark"). */
  kernelDisplayName?: string | null;
  /** The notebook's path on the server (relative to the server's root). */
  path?: string | null;
}

/**
 * Whether a kernel is one of sparkmagic's (by name, or "Spark" in its display name).
 */
export function isSparkmagicKernel(
  name: string | null | undefined,
  displayName?: string | null
): boolean {
  if (name && SPARKMAGIC_KERNELS.includes(name)) {
    return true;
  }
  return !!displayName && displayName.includes('Spark');
}

/**
 * A server path without leading or trailing slashes.
 */
function normalPath(path: string | null | undefined): string {
  return path ? path.replace(/^\/+|\/+$/g, '') : '';
}

/**
 * The session a notebook drives: by kernel id, else by notebook path. When a
 * kernel drives several, the most urgent one.
 */
export function findNotebookSession(
  snapshot: Snapshot | null,
  notebook: INotebookInfo
): Session | null {
  const sessions = (snapshot?.sessions ?? []).filter(s => s.notebook);
  const kernelId = notebook.kernelId;
  let mine: Session[] = kernelId
    ? sessions.filter(s => s.notebook?.kernel_id === kernelId)
    : [];
  const path = normalPath(notebook.path);
  if (!mine.length && path) {
    mine = sessions.filter(s => normalPath(s.notebook?.path) === path);
  }
  return mine.length ? sortSessions(mine)[0] : null;
}

/**
 * The session a notebook drives among several endpoints' snapshots, and the
 * endpoint where it was found: by kernel id in any of them, else by notebook
 * path; when several match, the most urgent (the first endpoint's on a tie).
 */
export function findNotebookEndpoint<T extends { snapshot: Snapshot | null }>(
  endpoints: readonly T[],
  notebook: INotebookInfo
): { endpoint: T; session: Session } | null {
  const matches = (info: INotebookInfo) =>
    endpoints
      .map(endpoint => ({
        endpoint,
        session: findNotebookSession(endpoint.snapshot, info)
      }))
      .filter((m): m is { endpoint: T; session: Session } => !!m.session);
  let found = notebook.kernelId ? matches({ kernelId: notebook.kernelId }) : [];
  if (!found.length && notebook.path) {
    found = matches({ path: notebook.path });
  }
  if (!found.length) {
    return null;
  }
  // Stable: the first endpoint's on a tie.
  const severity = (m: { session: Session }) =>
    statusSeverity(statusOf(m.session));
  return [...found].sort((a, b) => severity(a) - severity(b))[0];
}
