import { describe, expect, it } from 'vitest'
import { defineMachine, type MachineDefinition } from './state-machine.ts'

type Door = 'closed' | 'open' | 'locked' | 'broken'
type Who = 'guest' | 'owner' | 'locksmith'

// A small machine with every feature: a from list, the same move by actors in two rows, a requirement.
const door = defineMachine<Door, Who>({
  states: ['closed', 'open', 'locked', 'broken'],
  transitions: [
    { from: 'closed', to: 'open', by: ['guest', 'owner'] },
    { from: 'open', to: 'closed', by: ['guest', 'owner'] },
    { from: 'closed', to: 'locked', by: ['owner'], requires: 'key' },
    { from: 'locked', to: 'closed', by: ['owner'], requires: 'key' },
    { from: 'locked', to: 'closed', by: ['locksmith'], requires: 'key' },
    { from: ['closed', 'locked'], to: 'broken', by: ['locksmith'] },
    { from: 'locked', to: 'open', by: ['locksmith'] },
  ],
})

describe('defineMachine', () => {
  it('knows its states and the initial one', () => {
    expect(door.states).toEqual(['closed', 'open', 'locked', 'broken'])
    expect(door.initial).toBe('closed')
    expect(door.isState('open')).toBe(true)
    expect(door.isState('ajar')).toBe(false)
  })

  it.each<[Door, Door, Who | Who[], boolean]>([
    ['closed', 'open', 'guest', true],
    ['closed', 'open', 'locksmith', false],
    ['closed', 'locked', 'guest', false],
    ['closed', 'locked', 'owner', true],
    ['locked', 'closed', 'locksmith', true],
    ['locked', 'broken', 'locksmith', true],
    ['closed', 'broken', 'locksmith', true],
    ['open', 'broken', 'locksmith', false],
    ['broken', 'closed', 'owner', false],
    ['open', 'open', 'owner', false],
    ['closed', 'broken', ['guest', 'locksmith'], true],
    ['closed', 'broken', ['guest', 'owner'], false],
    ['closed', 'broken', [], false],
  ])('can(%s, %s, %j) is %s', (from, to, actor, expected) => {
    expect(door.can(from, to, actor)).toBe(expected)
  })

  it('filters by requirements only when asked to', () => {
    const noKey = (requirement: string) => requirement !== 'key'
    expect(door.can('closed', 'locked', 'owner', noKey)).toBe(false)
    expect(door.can('closed', 'locked', 'owner', () => true)).toBe(true)
    expect(door.can('closed', 'open', 'owner', noKey)).toBe(true)
    expect(door.can('closed', 'locked', 'guest', () => true)).toBe(false)
    expect(door.requirement('closed', 'locked')).toBe('key')
    expect(door.requirement('closed', 'open')).toBeUndefined()
    expect(door.requirement('open', 'broken')).toBeUndefined()
  })

  it.each<[Door, Who | Who[], string[]]>([
    ['closed', 'owner', ['open', 'locked']],
    ['closed', 'guest', ['open']],
    ['closed', 'locksmith', ['broken']],
    ['locked', 'locksmith', ['closed', 'broken', 'open']],
    ['locked', ['owner', 'locksmith'], ['closed', 'broken', 'open']], // closed once, in table order
    ['broken', ['guest', 'owner', 'locksmith'], []],
  ])('allowedFrom(%s, %j) is %j', (from, actor, expected) => {
    expect(door.allowedFrom(from, actor)).toEqual(expected)
  })

  it('leaves out of allowedFrom what a requirement denies', () => {
    expect(door.allowedFrom('locked', 'locksmith', () => false)).toEqual(['broken', 'open'])
  })

  it('finds what is reachable from a state', () => {
    expect(door.reachableFrom('closed')).toEqual(['closed', 'open', 'locked', 'broken'])
    expect(door.reachableFrom('open')).toEqual(['closed', 'open', 'locked', 'broken'])
    expect(door.reachableFrom('broken')).toEqual(['broken'])
  })

  it('lists its table with one row per from state, in table order', () => {
    expect(door.transitionsTable()).toEqual([
      { from: 'closed', to: 'open', by: ['guest', 'owner'], requires: null },
      { from: 'open', to: 'closed', by: ['guest', 'owner'], requires: null },
      { from: 'closed', to: 'locked', by: ['owner'], requires: 'key' },
      { from: 'locked', to: 'closed', by: ['owner'], requires: 'key' },
      { from: 'locked', to: 'closed', by: ['locksmith'], requires: 'key' },
      { from: 'closed', to: 'broken', by: ['locksmith'], requires: null },
      { from: 'locked', to: 'broken', by: ['locksmith'], requires: null },
      { from: 'locked', to: 'open', by: ['locksmith'], requires: null },
    ])
  })

  it('hands out copies: changing a listed row changes nothing', () => {
    door.transitionsTable()[0]!.by.push('locksmith')
    door.allowedFrom('closed', 'owner').push('broken')
    expect(door.can('closed', 'open', 'locksmith')).toBe(false)
    expect(door.allowedFrom('closed', 'owner')).toEqual(['open', 'locked'])
  })

  type Bad = MachineDefinition<string, string>
  it.each<[string, Bad, string]>([
    ['no states', { states: [], transitions: [] }, 'a machine needs at least one state'],
    ['a state twice', { states: ['a', 'a'], transitions: [] }, 'a state is declared twice'],
    ['an unknown from', { states: ['a', 'b'], transitions: [{ from: 'c', to: 'b', by: ['x'] }] }, 'c is not a declared state'],
    ['an unknown to', { states: ['a', 'b'], transitions: [{ from: 'a', to: 'c', by: ['x'] }] }, 'c is not a declared state'],
    ['a move to itself', { states: ['a', 'b'], transitions: [{ from: ['b', 'a'], to: 'a', by: ['x'] }] }, 'a → a goes nowhere'],
    ['no from', { states: ['a', 'b'], transitions: [{ from: [], to: 'b', by: ['x'] }] }, 'a transition to b has no from state'],
    ['no actor', { states: ['a', 'b'], transitions: [{ from: 'a', to: 'b', by: [] }] }, 'a transition to b names no actor'],
    ['a triple twice', { states: ['a', 'b'], transitions: [{ from: 'a', to: 'b', by: ['x', 'y'] }, { from: ['a'], to: 'b', by: ['y'] }] }, 'a → b by y is declared twice'],
    ['two requirements', { states: ['a', 'b'], transitions: [{ from: 'a', to: 'b', by: ['x'], requires: 'r' }, { from: 'a', to: 'b', by: ['y'] }] }, 'a → b names two different requirements'],
  ])('refuses a table with %s', (_name, definition, message) => {
    expect(() => defineMachine(definition)).toThrow(`defineMachine: ${message}`)
  })
})
