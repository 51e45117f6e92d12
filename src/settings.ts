/**
 * The panel's settings (schema/panel.json).
 */
export interface IPanelSettings {
  /** Seconds between two refreshes. */
  refreshInterval: number;
  /** Show sessions with status idle (no executors, no tasks). */
  showIdleSessions: boolean;
  /** One line per session. */
  compact: boolean;
  /** Show the advice cards. */
  showAdvice: boolean;
  /** Show the executor sparklines. */
  showSparklines: boolean;
  /** Minutes of history in the sparklines. */
  historyMinutes: number;
  /** Sidebar of the panel (applies after a reload). */
  area: 'left' | 'right';
  /** Open the panel when JupyterLab starts. */
  openAtStartup: boolean;
}

/**
 * The defaults, equal to those of schema/panel.json.
 */
export const DEFAULT_SETTINGS: IPanelSettings = {
  refreshInterval: 5,
  showIdleSessions: true,
  compact: false,
  showAdvice: true,
  showSparklines: true,
  historyMinutes: 10,
  area: 'right',
  openAtStartup: false
};

/**
 * Settings read from a composite (possibly partial or invalid) object.
 */
export function readSettings(composite: unknown): IPanelSettings {
  const c = (composite && typeof composite === 'object' ? composite : {}) as {
    [key: string]: unknown;
  };
  const num = (v: unknown, d: number, min: number) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.max(min, v) : d;
  const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  return {
    refreshInterval: num(
      c.refreshInterval,
      DEFAULT_SETTINGS.refreshInterval,
      1
    ),
    showIdleSessions: bool(
      c.showIdleSessions,
      DEFAULT_SETTINGS.showIdleSessions
    ),
    compact: bool(c.compact, DEFAULT_SETTINGS.compact),
    showAdvice: bool(c.showAdvice, DEFAULT_SETTINGS.showAdvice),
    showSparklines: bool(c.showSparklines, DEFAULT_SETTINGS.showSparklines),
    historyMinutes: num(c.historyMinutes, DEFAULT_SETTINGS.historyMinutes, 1),
    area: c.area === 'left' ? 'left' : 'right',
    openAtStartup: bool(c.openAtStartup, DEFAULT_SETTINGS.openAtStartup)
  };
}
