/**
 * Queries about the cluster of a snapshot: its capacity, its drivers and the
 * server's note on where the capacity comes from. Pure.
 */
import { Cluster } from '../snapshot';
import { count, formatResources, plural } from '../words/text';

/**
 * The executor capacity C of the endpoint, if known.
 */
export function capacity(cluster: Cluster | null): number | null {
  const max = cluster?.max_executors ?? null;
  return max !== null && max > 0 ? max : null;
}

/**
 * The driver (YARN application master) containers of the cluster, e.g.
 * "2 drivers hold 2 cores · 2 GiB"; null unless there are some.
 */
export function driversPhrase(cluster: Cluster | null): string | null {
  const drivers = count(cluster?.drivers);
  if (!cluster || !drivers) {
    return null;
  }
  const held = formatResources(cluster.driver_cores, cluster.driver_memory_mb);
  const who = plural(drivers, 'driver');
  const verb = drivers === 1 ? 'holds' : 'hold';
  return held
    ? `${who} ${verb} ${held}`
    : `${who} ${drivers === 1 ? 'runs' : 'run'} outside the executor slots`;
}

/**
 * The server's note on where the capacity comes from, or null.
 */
export function clusterNote(cluster: Cluster | null): string | null {
  return cluster?.note?.trim() || null;
}
