// Status machines declared as tables: one row says from where, to where, who may, and what the service must
// check besides. The table is the single source for the service's checks, the 409's `allowed` list and the docs.

/** One row of a machine's table: `from` (one state or several) → `to`, by any of `by`, if `requires` holds. */
export interface TransitionRule<S extends string, A extends string> {
  readonly from: S | readonly S[]
  readonly to: S
  readonly by: readonly A[]
  /**
   * A condition the table cannot see (a clock, a body field, other rows): the name the service checks.
   * It belongs to the move, not to an actor, so every row of one from → to names the same one.
   */
  readonly requires?: string
}

/** A machine's declaration: its states (the first is the initial one) and its transitions, in table order. */
export interface MachineDefinition<S extends string, A extends string> {
  readonly states: readonly S[]
  readonly transitions: readonly TransitionRule<NoInfer<S>, A>[]
}

/** One transition as the docs list it: a single from state. */
export interface TransitionRow<S extends string, A extends string> {
  from: S
  to: S
  by: A[]
  requires: string | null
}

/** Answers whether a requirement holds now; given, it filters can and allowedFrom. */
export type RequirementCheck = (requirement: string) => boolean

/** A machine built from a table. */
export interface Machine<S extends string, A extends string> {
  /** Every state, in declaration order. */
  readonly states: readonly S[]
  /** The first state declared. */
  readonly initial: S
  /** Whether a string is one of the states (narrowing it). */
  isState(value: string): value is S
  /**
   * Whether any of the actors may move from → to. Without `met` the answer is the table's alone, requirements
   * not considered; with it, a move whose requirement `met` denies is not allowed.
   */
  can(from: S, to: S, actor: A | readonly A[], met?: RequirementCheck): boolean
  /** The states the actors may move to from `from` (the 409's `allowed`): table order, each once; `met` as in can. */
  allowedFrom(from: S, actor: A | readonly A[], met?: RequirementCheck): S[]
  /** The requirement of the move from → to, if the table has one. */
  requirement(from: S, to: S): string | undefined
  /** Every state reachable from `from` by any actor (itself included), in declaration order. */
  reachableFrom(from: S): S[]
  /** The table with one row per from state, in declaration order, for docs. */
  transitionsTable(): TransitionRow<S, A>[]
}

function fail(detail: string): never {
  throw new Error(`defineMachine: ${detail}`)
}

function rowsOf<S extends string, A extends string>(definition: MachineDefinition<S, A>): TransitionRow<S, A>[] {
  const states = new Set<string>(definition.states)
  if (states.size === 0) fail('a machine needs at least one state')
  if (states.size !== definition.states.length) fail('a state is declared twice')
  const rows: TransitionRow<S, A>[] = []
  const triples = new Set<string>()
  const requirements = new Map<string, string | null>()
  for (const rule of definition.transitions) {
    const froms: readonly S[] = typeof rule.from === 'string' ? [rule.from] : rule.from
    if (froms.length === 0) fail(`a transition to ${rule.to} has no from state`)
    if (rule.by.length === 0) fail(`a transition to ${rule.to} names no actor`)
    for (const from of froms) {
      for (const state of [from, rule.to]) if (!states.has(state)) fail(`${state} is not a declared state`)
      if (from === rule.to) fail(`${from} → ${from} goes nowhere`)
      const pair = `${from} → ${rule.to}`
      const requires = rule.requires ?? null
      if (requirements.has(pair) && requirements.get(pair) !== requires) fail(`${pair} names two different requirements`)
      requirements.set(pair, requires)
      for (const actor of rule.by) {
        if (triples.has(`${pair} by ${actor}`)) fail(`${pair} by ${actor} is declared twice`)
        triples.add(`${pair} by ${actor}`)
      }
      rows.push({ from, to: rule.to, by: [...rule.by], requires })
    }
  }
  return rows
}

/**
 * A machine from its table. Pure: no I/O, no clock. Throws at definition on a table that cannot mean one thing:
 * an undeclared or repeated state, a move to the same state, a rule with no from or no actor, the same
 * from → to by the same actor twice, or one from → to with two different requirements.
 */
export function defineMachine<const S extends string, const A extends string>(definition: MachineDefinition<S, A>): Machine<S, A> {
  const rows = rowsOf(definition)
  const states: readonly S[] = [...definition.states]
  const stateSet = new Set<string>(states)
  const actorsOf = (actor: A | readonly A[]): readonly A[] => (typeof actor === 'string' ? [actor] : actor)
  const passes = (row: TransitionRow<S, A>, actors: readonly A[], met: RequirementCheck | undefined) =>
    row.by.some((a) => actors.includes(a)) && (met === undefined || row.requires === null || met(row.requires))

  return {
    states,
    initial: states[0]!,
    isState: (value: string): value is S => stateSet.has(value),
    can(from, to, actor, met) {
      const actors = actorsOf(actor)
      return rows.some((row) => row.from === from && row.to === to && passes(row, actors, met))
    },
    allowedFrom(from, actor, met) {
      const actors = actorsOf(actor)
      const allowed: S[] = []
      for (const row of rows) if (row.from === from && !allowed.includes(row.to) && passes(row, actors, met)) allowed.push(row.to)
      return allowed
    },
    requirement(from, to) {
      return rows.find((row) => row.from === from && row.to === to)?.requires ?? undefined
    },
    reachableFrom(from) {
      const seen = new Set<S>([from])
      const queue: S[] = [from]
      for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
        for (const row of rows) {
          if (row.from === state && !seen.has(row.to)) {
            seen.add(row.to)
            queue.push(row.to)
          }
        }
      }
      return states.filter((state) => seen.has(state))
    },
    transitionsTable: () => rows.map((row) => ({ ...row, by: [...row.by] })),
  }
}
