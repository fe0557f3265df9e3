/**
 * `window.companion`: the verbs the preload exposes, derived from the contract so nothing
 * hand-kept can drift. `clips:update-draft` becomes `companion.clips.updateDraft(...)`;
 * `clips:changed` becomes `companion.events.onClipsChanged(fn)`.
 */
import type { CommandArgs, CommandName, CommandResult, EventName, EventPayload } from './contract';
import type { IpcResult } from './result';

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;
type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type VerbOf<C extends string> = C extends `${string}:${infer V}` ? V : never;

export type CompanionApi = {
  readonly [D in DomainOf<CommandName>]: {
    readonly [C in CommandName as DomainOf<C> extends D ? Camel<VerbOf<C>> : never]: (
      ...args: CommandArgs<C>
    ) => Promise<IpcResult<CommandResult<C>>>;
  };
} & {
  readonly events: {
    readonly [
      E in EventName as `on${Capitalize<Camel<DomainOf<E>>>}${Capitalize<Camel<VerbOf<E>>>}`
    ]: (listener: (payload: EventPayload<E>) => void) => () => void;
  };
};

function camel(text: string): string {
  return text.replace(/-([a-z])/gu, (_match, letter: string) => letter.toUpperCase());
}
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Where a command lives on the API object: `['clips', 'updateDraft']`. */
export function commandPath(channel: string): readonly [string, string] {
  const [domain = '', verb = ''] = channel.split(':');
  return [camel(domain), camel(verb)];
}

/** The subscription verb for an event: `onClipsChanged`. */
export function eventListenerName(channel: string): string {
  const [domain = '', pastTense = ''] = channel.split(':');
  return `on${capitalize(camel(domain))}${capitalize(camel(pastTense))}`;
}
