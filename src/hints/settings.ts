/**
 * The settings of the hints (schema/hints.json).
 */
export interface IHintSettings {
  /** Show the Spark status in each notebook's toolbar. */
  showInToolbar: boolean;
  /** Notify when one of the user's own sessions starves. */
  notifyStarvation: boolean;
}

/**
 * The defaults, equal to those of schema/hints.json.
 */
export const DEFAULT_HINT_SETTINGS: IHintSettings = {
  showInToolbar: true,
  notifyStarvation: true
};

/**
 * Hint settings read from a composite (possibly partial or invalid) object.
 */
export function readHintSettings(composite: unknown): IHintSettings {
  const c = (composite && typeof composite === 'object' ? composite : {}) as {
    [key: string]: unknown;
  };
  const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  return {
    showInToolbar: bool(c.showInToolbar, DEFAULT_HINT_SETTINGS.showInToolbar),
    notifyStarvation: bool(
      c.notifyStarvation,
      DEFAULT_HINT_SETTINGS.notifyStarvation
    )
  };
}
