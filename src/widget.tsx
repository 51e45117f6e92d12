import {
  ReactWidget,
  SidePanel,
  ToolbarButton,
  refreshIcon,
  settingsIcon
} from '@jupyterlab/ui-components';
import { ISignal, Signal } from '@lumino/signaling';
import { Message } from '@lumino/messaging';
import { Panel, Widget } from '@lumino/widgets';
import * as React from 'react';

import { EndpointsView } from './components/EndpointsView';
import { useSignal } from './components/hooks';
import { EndpointsModel } from './endpoints';
import { glueSessionsIcon } from './icons';
import { GlueSessionsModel } from './model';
import { summary } from './sentences';
import { DEFAULT_SETTINGS, IPanelSettings } from './settings';
import { ViewState } from './viewstate';
import { ModelWatch } from './watch';

/**
 * The sidebar panel: a SidePanel hosting the React view.
 */
export class GlueSessionsPanel extends SidePanel {
  constructor(options: GlueSessionsPanel.IOptions) {
    super({ content: new Panel() });
    this.id = 'glue-sessions-panel';
    this.addClass('jp-GlueSessions-panel');
    this.title.icon = glueSessionsIcon;
    this.title.caption = 'Spark executor sharing';
    this._endpoints = options.endpoints;
    this._model = options.endpoints.configured;
    // Every endpoint's model, while the panel shows.
    this._watch = new ModelWatch(this._endpoints, this, { history: true });
    this._settings = options.settings ?? DEFAULT_SETTINGS;
    this._onOpenNotebook = options.onOpenNotebook;
    this._onShowIdle = options.onShowIdle ?? (() => undefined);

    const header = new Widget({ node: document.createElement('h2') });
    header.addClass('jp-GlueSessions-title');
    header.node.textContent = 'Spark executor sharing';
    this.header.addWidget(header);

    this.toolbar.addItem(
      'refresh',
      new ToolbarButton({
        icon: refreshIcon,
        tooltip: 'Refresh now',
        onClick: () => void this._endpoints.refresh()
      })
    );
    if (options.onOpenSettings) {
      const openSettings = options.onOpenSettings;
      this.toolbar.addItem(
        'settings',
        new ToolbarButton({
          icon: settingsIcon,
          tooltip: 'Settings of this panel',
          onClick: openSettings
        })
      );
    }

    this._view = ReactWidget.create(<Private.Root panel={this} />);
    this._view.addClass('jp-GlueSessions-content');
    this.addWidget(this._view);

    this._model.changed.connect(this._updateCaption, this);
  }

  /**
   * The data model of the configured endpoint.
   */
  get model(): GlueSessionsModel {
    return this._model;
  }

  /**
   * Every endpoint's model.
   */
  get endpoints(): EndpointsModel {
    return this._endpoints;
  }

  /**
   * Selection and focus of the configured endpoint's view.
   */
  get viewState(): ViewState {
    return this._viewState;
  }

  /**
   * Selection and focus of an endpoint's view (null: the configured one);
   * session ids are an endpoint's own.
   */
  viewStateOf(endpoint: string | null | undefined): ViewState {
    if (!endpoint || this._endpoints.modelOf(endpoint) === this._model) {
      return this._viewState;
    }
    let state = this._viewStates.get(endpoint);
    if (!state) {
      state = new ViewState();
      this._viewStates.set(endpoint, state);
    }
    return state;
  }

  /**
   * The settings in force.
   */
  get settings(): IPanelSettings {
    return this._settings;
  }
  set settings(settings: IPanelSettings) {
    this._settings = settings;
    this._settingsChanged.emit();
  }

  /**
   * Emitted when the settings change.
   */
  get settingsChanged(): ISignal<this, void> {
    return this._settingsChanged;
  }

  /**
   * Select a session (of an endpoint; none: the configured one) and move the
   * keyboard focus to it.
   */
  focusSession(id: number, endpoint?: string | null): void {
    this.viewStateOf(endpoint).focus(id);
  }

  /**
   * Open a notebook (the view calls it).
   */
  openNotebook(path: string): void {
    this._onOpenNotebook(path);
  }

  /**
   * Show idle sessions (the view calls it).
   */
  showIdle(): void {
    this._onShowIdle();
  }

  protected onAfterShow(msg: Message): void {
    super.onAfterShow(msg);
    this._watch.hold(true);
  }

  protected onAfterHide(msg: Message): void {
    super.onAfterHide(msg);
    this._watch.hold(false);
  }

  private _updateCaption(): void {
    this.title.caption = `Spark executor sharing: ${summary(this._model.snapshot)}`;
  }

  private _model: GlueSessionsModel;
  private _endpoints: EndpointsModel;
  private _viewStates = new Map<string, ViewState>();
  private _settings: IPanelSettings;
  private _viewState = new ViewState();
  private _view: Widget;
  private _watch: ModelWatch;
  private _onOpenNotebook: (path: string) => void;
  private _onShowIdle: () => void;
  private _settingsChanged = new Signal<this, void>(this);
}

/**
 * A namespace for GlueSessionsPanel statics.
 */
export namespace GlueSessionsPanel {
  /**
   * Options of the panel.
   */
  export interface IOptions {
    /** Every endpoint's model; its `configured` model is the panel's `model`. */
    endpoints: EndpointsModel;
    settings?: IPanelSettings;
    onOpenNotebook: (path: string) => void;
    onShowIdle?: () => void;
    onOpenSettings?: () => void;
  }
}

namespace Private {
  /**
   * Renders the view with the panel's current settings.
   */
  export function Root(props: { panel: GlueSessionsPanel }): JSX.Element {
    const { panel } = props;
    useSignal(panel.settingsChanged);
    return (
      <EndpointsView
        endpoints={panel.endpoints}
        viewStateOf={endpoint => panel.viewStateOf(endpoint)}
        settings={panel.settings}
        onOpenNotebook={path => panel.openNotebook(path)}
        onShowIdle={() => panel.showIdle()}
      />
    );
  }
}
