/**
 * Numbers, sizes and words as the panel and the hints write them. Pure; each
 * function takes a value that may be unknown (null) and shows it as UNKNOWN.
 */

/**
 * Shown where a value is unknown.
 */
export const UNKNOWN = '–';

/**
 * Whether a value is a finite number (computed values may be NaN).
 */
function known(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * A number with at most one decimal ("4.5", "4", "0.3").
 */
export function formatNumber(value: number | null | undefined): string {
  if (!known(value)) {
    return UNKNOWN;
  }
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/**
 * A duration in seconds, coarse enough to read at a glance:
 * "12 s", "3 min", "1 h 5 min", "2 d 3 h".
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (!known(seconds)) {
    return UNKNOWN;
  }
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const m = minutes % 60;
    return m ? `${hours} h ${m} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  return h ? `${days} d ${h} h` : `${days} d`;
}

/**
 * Memory given in MiB, in binary units as Spark writes them: "512 MiB", "10 GiB", "1.5 TiB".
 */
export function formatMemory(mb: number | null | undefined): string {
  if (!known(mb)) {
    return UNKNOWN;
  }
  if (mb <= 0) {
    return '0 MiB';
  }
  const units = ['MiB', 'GiB', 'TiB', 'PiB'];
  let value = mb;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(value)} ${units[unit]}`;
}

/**
 * A share (0..1) in percent: "100%", "12%", "0.5%".
 */
export function formatPercent(share: number | null | undefined): string {
  if (!known(share)) {
    return UNKNOWN;
  }
  const p = share * 100;
  if (p > 0 && p < 1) {
    return `${formatNumber(p)}%`;
  }
  return `${Math.round(p)}%`;
}

/**
 * "1 executor", "4.5 executors".
 */
export function plural(
  value: number | null | undefined,
  word: string,
  words = `${word}s`
): string {
  return `${formatNumber(value)} ${value === 1 ? word : words}`;
}

/**
 * A non-negative count, or null.
 */
export function count(value: number | null | undefined): number | null {
  return known(value) && value >= 0 ? value : null;
}

/**
 * Cores and memory in a few words: "8 cores · 10 GiB", "1 core", "2 GiB";
 * null when neither is known.
 */
export function formatResources(
  cores: number | null | undefined,
  memoryMb: number | null | undefined
): string | null {
  const parts: string[] = [];
  if (count(cores) !== null) {
    parts.push(plural(cores, 'core'));
  }
  if (count(memoryMb) !== null) {
    parts.push(formatMemory(memoryMb));
  }
  return parts.length ? parts.join(' · ') : null;
}

/**
 * Join words as a sentence does: "a", "a and b", "a, b and c".
 */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) {
    return words.join('');
  }
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * The file name of a notebook path ("work/etl.ipynb" -> "etl.ipynb").
 */
export function notebookName(path: string | null | undefined): string | null {
  if (!path) {
    return null;
  }
  const parts = path.split('/').filter(p => p);
  return parts.length ? parts[parts.length - 1] : null;
}

/**
 * A URL that is safe to put in a link: only absolute http(s), else null.
 */
export function safeHttpUrl(url: unknown): string | null {
  if (typeof url !== 'string' || !url.trim()) {
    return null;
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return null;
  }
  return parsed.href;
}

/**
 * Text cut at `max` characters (at a space when one is near), with "…".
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) {
    return text;
  }
  const cut = text.slice(0, Math.max(1, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/\s+$/, '')}…`;
}
