import { DocumentRegistry, DocumentWidget } from '@jupyterlab/docregistry';
import { ReactWidget } from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';
import { Message } from '@lumino/messaging';
import * as React from 'react';

import { EndpointsModel } from '../endpoints';
import { GlueSessionsModel } from '../model';
import { ModelWatch } from '../watch';
import { IHint, notebookHint } from './hint';
import { findNotebookEndpoint, INotebookInfo } from './notebook';

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
    this._endpoints = options.endpoints ?? null;
    // Every endpoint's model when known: the notebook's session may be on any.
    this._watch = new ModelWatch(this._endpoints ?? this._model, this);
    this._context = options.context;
    this._onOpen = options.onOpen;
    this.addClass('jp-GlueSessions-hint');
    this.node.setAttribute('data-glue-sessions-hint', '');
    if (this._endpoints) {
      this._endpoints.changed.connect(this._onChange, this);
      this._endpoints.modelChanged.connect(this._onChange, this);
    } else {
      this._model.changed.connect(this._onChange, this);
    }
    const sessionContext = this._context.sessionContext;
    sessionContext.kernelChanged.connect(this._onKernel, this);
    sessionContext.sessionChanged.connect(this._onKernel, this);
    this._context.pathChanged.connect(this._onChange, this);
    this._recompute();
  }

  /**
   * The id of the endpoint where the notebook's session is, when it is not
   * the configured one; else null.
   */
  get endpoint(): string | null {
    return this._endpoint;
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
        onClick={() => this._onOpen(hint.sessionId, this._endpoint)}
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
    const notebook: INotebookInfo = {
      kernelId: kernel?.id ?? null,
      kernelName: kernel?.name ?? null,
      kernelDisplayName: kernel ? sessionContext.kernelDisplayName : null,
      path: this._context.path
    };
    // The endpoint where the notebook's session is (else the configured one)
    // says the hint's words.
    const found = this._endpoints
      ? findNotebookEndpoint(
          this._endpoints.entries.map(entry => ({
            entry,
            snapshot: entry.model.snapshot
          })),
          notebook
        )
      : null;
    const model = found?.endpoint.entry.model ?? this._model;
    this._endpoint =
      model === this._model ? null : (found?.endpoint.entry.id ?? null);
    const hint = this._enabled
      ? notebookHint(
          { snapshot: model.snapshot, error: model.error },
          notebook,
          Date.now()
        )
      : { state: 'none' as const, text: '', title: '', sessionId: null };
    if (this._endpoint && hint.state !== 'none') {
      hint.title = `Livy endpoint ${this._endpoint}\n${hint.title}`;
    }
    this._hint = hint;
    this.node.dataset.state = hint.state;
    this.setHidden(hint.state === 'none');
  }

  private _model: GlueSessionsModel;
  private _endpoints: EndpointsModel | null;
  private _endpoint: string | null = null;
  private _context: DocumentRegistry.Context;
  private _onOpen: (sessionId: number | null, endpoint: string | null) => void;
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
    /** The shared model (the configured endpoint's). */
    model: GlueSessionsModel;
    /** Every endpoint's model; without, the configured endpoint's only. */
    endpoints?: EndpointsModel;
    /** The notebook's document context. */
    context: DocumentRegistry.Context;
    /**
     * Open the panel, on a session when known (of the endpoint given, an id of
     * the endpoints API; null: the configured endpoint).
     */
    onOpen: (sessionId: number | null, endpoint: string | null) => void;
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
