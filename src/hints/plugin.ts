import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { CommandIDs, IGlueSessions } from '../tokens';
import { EndpointNotifiers } from './notifiers';
import { readHintSettings } from './settings';
import { SparkHintExtension } from './widget';

/**
 * The id of the hints plugin (settings: schema/hints.json).
 */
export const HINTS_PLUGIN_ID = 'glue-sessions:hints';

/**
 * The Spark status of each notebook in its toolbar, and a notification when
 * the user's own session starves.
 */
export const hintsPlugin: JupyterFrontEndPlugin<void> = {
  id: HINTS_PLUGIN_ID,
  description:
    "Shows each notebook's Livy session status in its toolbar and notifies when it starves",
  autoStart: true,
  requires: [IGlueSessions],
  optional: [ISettingRegistry],
  activate: async (
    app: JupyterFrontEnd,
    glue: IGlueSessions,
    settingRegistry: ISettingRegistry | null
  ): Promise<void> => {
    const open = (sessionId: number | null, endpoint: string | null = null) => {
      void app.commands.execute(CommandIDs.open, {
        ...(sessionId === null ? {} : { sessionId }),
        ...(endpoint === null ? {} : { endpoint })
      });
    };
    const extension = new SparkHintExtension({
      model: glue.model,
      endpoints: glue.endpoints,
      onOpen: open
    });
    app.docRegistry.addWidgetExtension('Notebook', extension);
    const kernels = app.serviceManager.kernels;
    // One notifier per endpoint: the user's session may starve on any.
    const notifier = new EndpointNotifiers({
      endpoints: glue.endpoints,
      onShow: open,
      // The server maps sessions to its live kernels; this page must know them too
      // (no notification about a kernel it has never seen, e.g. a recorded answer).
      isLive: kernelId => {
        if (!kernelId) {
          return true;
        }
        for (const kernel of kernels.running()) {
          if (kernel.id === kernelId) {
            return true;
          }
        }
        return false;
      }
    });
    kernels.runningChanged.connect(() => notifier.check());

    if (settingRegistry) {
      try {
        const setting = await settingRegistry.load(HINTS_PLUGIN_ID);
        const apply = () => {
          const s = readHintSettings(setting.composite);
          extension.enabled = s.showInToolbar;
          notifier.enabled = s.notifyStarvation;
        };
        apply();
        setting.changed.connect(apply);
      } catch (reason) {
        console.error(`glue-sessions: cannot load hint settings: ${reason}`);
      }
    }
  }
};
