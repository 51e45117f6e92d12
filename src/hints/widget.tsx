import { DocumentRegistry, DocumentWidget } from '@jupyterlab/docregistry';
import { ReactWidget } from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { GlueSessionsModel } from '../model';
import { ModelWatch } from '../watch';
import { IHint, notebookHint } from './hint';

/**
 * The name of the hint in a notebook's toolbar.
 */
export const HINT_TOOLBAR_ITEM = 'glueSessionsHint';

/**
 * The Spark status of one notebook, in its toolbar: "Spark: 3 of 9 executors".
 *
 * It reads the shared model only (it never asks the server itself) and keeps
 * the model polling while it is attached to a notebook that has a kernel.
 * Nothing is shown for notebooks that drive no Livy session and whose kernel
 * is not one of sparkmagic's.
 */
export class SparkHint extends ReactWidget {
  constructor(options: SparkHint.IOptions) {
    super();
    this._model = options.model;
    this._watch = new ModelWatch(this._model, this);
    this._context = options.context;
    this._onOpen = options.onOpen;
    this.addClass('jp-GlueSessions-hint');
    this.node.setAttribute('data-glue-sessions-hint', '');
    this._model.changed.connect(this._onChange, this);
    const sessionContext = this._context.sessionContext;
    sessionContext.kernelChanged.connect(this._onKernel, this);
    sessionContext.sessionChanged.connect(this._onKernel, this);
    this._context.pathChanged.connect(this._onChange, this);
    this._recompute();
  }

  /**
   * The hint in force.
   */
  get hint(): IHint {
    return this._hint;
  }

  /**
   * Whether hints are shown at all (a setting).
   */
  get enabled(): boolean {
    return this._enabled;
  }
  set enabled(value: boolean) {
    if (value === this._enabled) {
      return;
    }
    this._enabled = value;
    this._syncWatch();
    this._onChange();
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this._syncWatch();
  }

  protected onBeforeDetach(msg: Message): void {
    this._watch.hold(false);
    super.onBeforeDetach(msg);
  }

  protected onUpdateRequest(msg: Message): void {
    this._recompute();
    super.onUpdateRequest(msg);
  }

  render(): JSX.Element | null {
    const hint = this._hint;
    if (hint.state === 'none') {
      return null;
    }
    return (
      <button
        type="button"
        className={`jp-GlueSessions-hint-button jp-GlueSessions-status-${hint.state}`}
        title={hint.title}
        aria-label={`${hint.text}. ${hint.title}`}
        data-state={hint.state}
        onClick={() => this._onOpen(hint.sessionId)}
      >
        <span className="jp-GlueSessions-hint-dot" aria-hidden="true" />
        <span className="jp-GlueSessions-hint-text">{hint.text}</span>
      </button>
    );
  }

  private _onKernel(): void {
    this._syncWatch();
    this._onChange();
  }

  private _onChange(): void {
    if (!this.isDisposed) {
      this.update();
    }
  }

  /**
   * Watch the model while attached to a notebook with a kernel: only a kernel
   * can drive a Livy session.
   */
  private _syncWatch(): void {
    this._watch.hold(
      this._enabled &&
        this.isAttached &&
        !!this._context.sessionContext.session?.kernel
    );
  }

  private _recompute(): void {
    const sessionContext = this._context.sessionContext;
    const kernel = sessionContext.session?.kernel ?? null;
    const hint = this._enabled
      ? notebookHint(
          { snapshot: this._model.snapshot, error: this._model.error },
          {
            kernelId: kernel?.id ?? null,
            kernelName: kernel?.name ?? null,
            kernelDisplayName: kernel ? sessionContext.kernelDisplayName : null,
            path: this._context.path
          },
          Date.now()
        )
      : { state: 'none' as const, text: '', title: '', sessionId: null };
    this._hint = hint;
    this.node.dataset.state = hint.state;
    this.setHidden(hint.state === 'none');
  }

  private _model: GlueSessionsModel;
  private _context: DocumentRegistry.Context;
  private _onOpen: (sessionId: number | null) => void;
  private _hint: IHint = {
    state: 'none',
    text: '',
    title: '',
    sessionId: null
  };
  private _enabled = true;
  private _watch: ModelWatch;
}

/**
 * A namespace for SparkHint statics.
 */
export namespace SparkHint {
  /**
   * Options of a hint.
   */
  export interface IOptions {
    /** The shared model. */
    model: GlueSessionsModel;
    /** The notebook's document context. */
    context: DocumentRegistry.Context;
    /** Open the panel, on a session when known. */
    onOpen: (sessionId: number | null) => void;
  }
}

/**
 * Adds a SparkHint to the toolbar of each notebook, before the kernel name.
 */
export class SparkHintExtension implements DocumentRegistry.IWidgetExtension<
  DocumentWidget,
  DocumentRegistry.IModel
> {
  constructor(options: Omit<SparkHint.IOptions, 'context'>) {
    this._options = options;
  }

  /**
   * Whether hints are shown (a setting); applies to every notebook at once.
   */
  get enabled(): boolean {
    return this._enabled;
  }
  set enabled(value: boolean) {
    this._enabled = value;
    this._hints.forEach(hint => (hint.enabled = value));
  }

  createNew(
    widget: DocumentWidget,
    context: DocumentRegistry.Context
  ): IDisposable {
    const hint = new SparkHint({ ...this._options, context });
    hint.enabled = this._enabled;
    const toolbar = widget.toolbar;
    if (
      !toolbar.insertBefore('kernelName', HINT_TOOLBAR_ITEM, hint) &&
      !toolbar.insertAfter('spacer', HINT_TOOLBAR_ITEM, hint)
    ) {
      toolbar.addItem(HINT_TOOLBAR_ITEM, hint);
    }
    this._hints.add(hint);
    hint.disposed.connect(() => this._hints.delete(hint));
    return hint;
  }

  private _options: Omit<SparkHint.IOptions, 'context'>;
  private _enabled = true;
  private _hints = new Set<SparkHint>();
}
