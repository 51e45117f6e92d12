import { Clipboard } from '@jupyterlab/apputils';
import * as React from 'react';

/**
 * Copy text to the clipboard: the async Clipboard API when the page may use it,
 * else JupyterLab's `execCommand('copy')` fallback.
 */
export async function copyText(text: string): Promise<void> {
  if (
    typeof navigator !== 'undefined' &&
    navigator.clipboard &&
    typeof navigator.clipboard.writeText === 'function'
  ) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Not allowed (no secure context, no focus, permissions): fall back.
    }
  }
  Clipboard.copyToSystem(text);
}

/**
 * A button that copies `text` and says so.
 */
export function CopyButton(props: {
  text: string;
  label?: string;
}): JSX.Element {
  const [state, setState] = React.useState<'idle' | 'copied' | 'failed'>(
    'idle'
  );
  React.useEffect(() => {
    if (state === 'idle') {
      return;
    }
    const handle = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(handle);
  }, [state]);
  const onClick = () => {
    copyText(props.text)
      .then(() => setState('copied'))
      .catch(() => setState('failed'));
  };
  return (
    <button
      type="button"
      className="jp-GlueSessions-button jp-GlueSessions-copy"
      onClick={onClick}
      aria-live="polite"
    >
      {state === 'copied'
        ? 'Copied'
        : state === 'failed'
          ? 'Copy failed'
          : (props.label ?? 'Copy')}
    </button>
  );
}
