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

import { GlueSessionsView } from './components/GlueSessionsView';
import { useSignal } from './components/hooks';
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
    this._model = options.model;
    this._watch = new ModelWatch(this._model, this, { history: true });
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
        onClick: () => void this._model.refresh()
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
   * The data model.
   */
  get model(): GlueSessionsModel {
    return this._model;
  }

  /**
   * Selection and focus of the view.
   */
  get viewState(): ViewState {
    return this._viewState;
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
   * Select a session and move the keyboard focus to it.
   */
  focusSession(id: number): void {
    this._viewState.focus(id);
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
    model: GlueSessionsModel;
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
      <GlueSessionsView
        model={panel.model}
        viewState={panel.viewState}
        settings={panel.settings}
        onOpenNotebook={path => panel.openNotebook(path)}
        onShowIdle={() => panel.showIdle()}
      />
    );
  }
}
