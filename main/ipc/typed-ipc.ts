/**
 * The only way main talks to the window: a typed `handle()` for commands and a typed, batched
 * `broadcast()` for events, both keyed by the contract in app/ipc/contract.ts.
 *
 * `handle()` drops messages from any frame but our window's main frame, parses the arguments with
 * the contract's schema, and answers with an IpcResult envelope: it never throws across the bridge.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  handledCommands,
  type CommandArgs,
  type CommandResult,
  type EventName,
  type EventPayload,
  type HandledCommandName,
} from '../../app/ipc/contract';
import { fail, type IpcResult } from '../../app/ipc/result';
import type { Logger } from '../util/logger';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;
export type CommandImpl<C extends HandledCommandName> = (
  ...args: CommandArgs<C>
) => Promise<IpcResult<CommandResult<C>>> | IpcResult<CommandResult<C>>;

export function handle<C extends HandledCommandName>(
  ipcMain: IpcMain,
  isTrustedSender: SenderCheck,
  logger: Logger,
  channel: C,
  impl: CommandImpl<C>,
): void {
  const schema = handledCommands[channel].args;
  ipcMain.handle(
    channel,
    async (event, ...raw: unknown[]): Promise<IpcResult<CommandResult<C>>> => {
      if (!isTrustedSender(event)) {
        logger.warn('ipc: refused a message from an untrusted frame', { channel });
        return fail('ipc/forbidden-sender');
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        return fail(
          'ipc/invalid-arguments',
          parsed.error.issues.map((issue) => issue.message).join(' '),
        );
      }
      try {
        return await impl(...(parsed.data as CommandArgs<C>));
      } catch (error) {
        logger.error('ipc: handler failed', {
          channel,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
        return fail('app/internal');
      }
    },
  );
}

/** Accepts only our window's top frame showing our own page. */
export function trustedSender(
  getContents: () => WebContents | undefined,
  rendererUrl: () => string | undefined,
): SenderCheck {
  return (event) => {
    const contents = getContents();
    const frame = event.senderFrame;
    if (!contents || contents.isDestroyed() || !frame) return false;
    return event.sender.id === contents.id && frame.parent === null && frame.url === rendererUrl();
  };
}

export interface Broadcaster {
  send<E extends EventName>(channel: E, payload: EventPayload<E>): void;
}

export function createBroadcaster(getContents: () => WebContents | undefined): Broadcaster {
  return {
    send(channel, payload) {
      const contents = getContents();
      if (contents && !contents.isDestroyed()) contents.send(channel, payload);
    },
  };
}
