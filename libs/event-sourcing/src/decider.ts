/**
 * What a decision may use besides the command and the state. Supplied by the caller, so that
 * `decide` stays pure: the domain never reads the clock or generates randomness itself.
 */
export interface DecisionContext {
  /** Domain time of the decision. */
  readonly now: Date;
  /** Fresh ids for what the decision creates. */
  readonly newId: () => string;
}

/** An event as the domain sees it; the event store adds id, metadata, revision and position. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

/**
 * An aggregate as pure functions: `evolve` folds its stream into state, `decide` turns a command
 * and the current state into new events, or throws a `DomainError`.
 */
export interface Decider<State, Command, Event extends DomainEvent> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State, context: DecisionContext): readonly Event[];
  /**
   * For aggregates whose streams grow long and are loaded often (a buyer's account): the
   * repository keeps the folded state of up to this many streams between loads and folds only
   * the events appended since (a state is shared between loads, so `evolve` and `decide` must
   * never mutate it). Unset: every load folds the whole stream.
   */
  readonly keepFoldedStreams?: number;
}

export function foldEvents<State, Event extends DomainEvent>(
  decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>,
  events: readonly Event[],
  from: State = decider.initialState,
): State {
  return events.reduce((state, event) => decider.evolve(state, event), from);
}
