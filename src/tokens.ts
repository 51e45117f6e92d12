import { Token } from '@lumino/coreutils';

import { EndpointsModel } from './endpoints';
import { GlueSessionsModel } from './model';

/**
 * The glue-sessions model, for other plugins (e.g. the notebook hints).
 */
export interface IGlueSessions {
  /**
   * The shared model polling the server extension. Call `watch()` to keep
   * it polling while you need the data.
   */
  readonly model: GlueSessionsModel;
  /**
   * Every Livy endpoint the server polls (the configured one's model is
   * `model`), each with its model. Call `watch()` to keep them polling.
   */
  readonly endpoints: EndpointsModel;
  /**
   * Open the panel, focused on one session when given (of `endpoint`, an id
   * of the endpoints API; none: the configured endpoint).
   */
  open(sessionId?: number, endpoint?: string | null): Promise<void>;
}

/**
 * The token of the glue-sessions service.
 */
export const IGlueSessions = new Token<IGlueSessions>(
  'glue-sessions:IGlueSessions',
  'Who holds the executors of the shared Livy/Spark endpoint.'
);

/**
 * Command ids.
 */
export namespace CommandIDs {
  /**
   * Open the panel; arg `sessionId` (number) focuses one session, of the
   * Livy endpoint `endpoint` (string) when given.
   */
  export const open = 'glue-sessions:open';
  /**
   * Refresh the snapshot now.
   */
  export const refresh = 'glue-sessions:refresh';
}
