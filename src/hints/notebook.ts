/**
 * Which notebooks the hints are about: sparkmagic's kernels, and the Livy
 * session a notebook drives. Pure.
 */
import { Session, Snapshot } from '../snapshot';
import { sortSessions } from '../status';

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
