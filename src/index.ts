import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { EndpointsModel } from './endpoints';
import { sessionName } from './sessions';
import { hintsPlugin } from './hints/plugin';
import { GlueSessionsModel } from './model';
import { DEFAULT_SETTINGS, IPanelSettings, readSettings } from './settings';
import { CommandIDs, IGlueSessions } from './tokens';
import { GlueSessionsPanel } from './widget';

export { GlueSessionsModel } from './model';
export { EndpointsModel } from './endpoints';
export { hintsPlugin } from './hints/plugin';
export { CommandIDs, IGlueSessions } from './tokens';
export * from './types';

const PLUGIN_ID = 'glue-sessions:panel';

/**
 * The sidebar panel showing who holds the executors of the shared Livy/Spark
 * endpoint and who is starving whom.
 */
const plugin: JupyterFrontEndPlugin<IGlueSessions> = {
  id: PLUGIN_ID,
  description:
    'See who holds the executors of a shared Livy/Spark endpoint and who is starving',
  autoStart: true,
  provides: IGlueSessions,
  optional: [ICommandPalette, ILayoutRestorer, ISettingRegistry],
  activate: async (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null
  ): Promise<IGlueSessions> => {
    let settings: IPanelSettings = DEFAULT_SETTINGS;
    let setting: ISettingRegistry.ISettings | null = null;
    if (settingRegistry) {
      try {
        setting = await settingRegistry.load(PLUGIN_ID);
        settings = readSettings(setting.composite);
      } catch (reason) {
        console.error(`glue-sessions: cannot load settings: ${reason}`);
      }
    }

    const model = new GlueSessionsModel({
      serverSettings: app.serviceManager.serverSettings,
      refreshInterval: settings.refreshInterval
    });

    // The other Livy endpoints this server's kernels use, each with its model.
    const endpoints = new EndpointsModel({
      serverSettings: app.serviceManager.serverSettings,
      configured: model
    });

    const panel = new GlueSessionsPanel({
      endpoints,
      settings,
      onOpenNotebook: path => {
        void app.commands.execute('docmanager:open', { path });
      },
      onOpenSettings: () => {
        void app.commands.execute('settingeditor:open', {
          query: 'Spark executor sharing'
        });
      },
      onShowIdle: () => {
        if (setting) {
          void setting.set('showIdleSessions', true);
        } else {
          panel.settings = { ...panel.settings, showIdleSessions: true };
        }
      }
    });
    app.shell.add(panel, settings.area, { rank: 900 });
    if (restorer) {
      restorer.add(panel, 'glue-sessions-panel');
    }

    setting?.changed.connect(() => {
      const next = readSettings(setting!.composite);
      endpoints.refreshInterval = next.refreshInterval;
      panel.settings = next;
    });

    const open = async (sessionId?: number, endpoint?: string | null) => {
      app.shell.activateById(panel.id);
      if (typeof sessionId === 'number' && Number.isFinite(sessionId)) {
        panel.focusSession(sessionId, endpoint);
      }
      await (endpoints.modelOf(endpoint) ?? model).refresh();
    };

    app.commands.addCommand(CommandIDs.open, {
      label: args =>
        typeof args.sessionId === 'number'
          ? `Show ${sessionName(null, args.sessionId)} in Spark executor sharing`
          : 'Show Spark executor sharing',
      caption:
        'Which Livy sessions hold the executors of the Spark endpoint, and who is starving',
      icon: args => (args.isPalette ? undefined : panel.title.icon),
      describedBy: {
        args: {
          type: 'object',
          properties: {
            sessionId: {
              type: 'number',
              description: 'The Livy session id to focus (livy-session-N)'
            },
            endpoint: {
              type: 'string',
              description:
                "The Livy endpoint of the session (its URL, as the endpoints API lists it); none: the server's configured endpoint"
            }
          }
        }
      },
      execute: args => {
        const id = args.sessionId;
        const endpoint =
          typeof args.endpoint === 'string' && args.endpoint
            ? args.endpoint
            : null;
        return open(typeof id === 'number' ? id : Number(id ?? NaN), endpoint);
      }
    });

    app.commands.addCommand(CommandIDs.refresh, {
      label: 'Refresh Spark executor sharing',
      caption: 'Ask the server for the sessions of the Spark endpoint now',
      describedBy: { args: { type: 'object', properties: {} } },
      execute: () => endpoints.refresh()
    });

    if (palette) {
      palette.addItem({ command: CommandIDs.open, category: 'Spark' });
      palette.addItem({ command: CommandIDs.refresh, category: 'Spark' });
    }

    if (settings.openAtStartup) {
      // After the layout is restored, so that a restored layout does not hide it again.
      void app.restored.then(() => app.shell.activateById(panel.id));
    }

    return { model, endpoints, open };
  }
};

const plugins: JupyterFrontEndPlugin<any>[] = [plugin, hintsPlugin];

export default plugins;
