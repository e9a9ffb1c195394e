import { describe, expect, it } from 'vitest'
import { OPEN_WORK_ORDER_STATUSES, WORK_ORDER_STATUSES, workOrderMachine, type WorkOrderActor } from './work-order.machine.ts'

const ACTORS: WorkOrderActor[] = ['advisor', 'admin', 'assignedMechanic', 'system']

// Every allowed (from, to, actor), written out: any change to the table must change this list.
const ALLOWED = [
  'draft → awaiting_approval by system',
  'draft → approved by system',
  'draft → declined by system',
  'draft → void by advisor',
  'draft → void by admin',
  'awaiting_approval → approved by system',
  'awaiting_approval → declined by system',
  'awaiting_approval → void by advisor',
  'awaiting_approval → void by admin',
  'approved → in_progress by advisor',
  'approved → in_progress by admin',
  'approved → in_progress by assignedMechanic',
  'approved → void by advisor',
  'approved → void by admin',
  'in_progress → completed by advisor',
  'in_progress → completed by admin',
  'in_progress → completed by assignedMechanic',
  'in_progress → void by advisor',
  'in_progress → void by admin',
  'completed → in_progress by advisor',
  'completed → in_progress by admin',
  'completed → in_progress by assignedMechanic',
  'completed → invoiced by system',
  'completed → void by advisor',
  'completed → void by admin',
  'declined → draft by advisor',
  'declined → draft by admin',
  'declined → void by advisor',
  'declined → void by admin',
]

describe('the work-order machine', () => {
  const triples = WORK_ORDER_STATUSES.flatMap((from) => WORK_ORDER_STATUSES.flatMap((to) => ACTORS.map((actor) => ({ from, to, actor }))))

  it.each(triples)('$from → $to by $actor is as listed', ({ from, to, actor }) => {
    expect(workOrderMachine.can(from, to, actor)).toBe(ALLOWED.includes(`${from} → ${to} by ${actor}`))
  })

  it('allows nothing that is not a listed triple (the list names real moves only)', () => {
    expect(ALLOWED.filter((key) => !triples.some((t) => `${t.from} → ${t.to} by ${t.actor}` === key))).toEqual([])
    expect(new Set(ALLOWED).size).toBe(ALLOWED.length)
  })

  it.each<[(typeof WORK_ORDER_STATUSES)[number], WorkOrderActor | WorkOrderActor[], string[]]>([
    ['draft', ['advisor', 'admin'], ['void']],
    ['draft', 'system', ['awaiting_approval', 'approved', 'declined']],
    ['awaiting_approval', 'advisor', ['void']],
    ['approved', 'assignedMechanic', ['in_progress']],
    ['approved', ['admin', 'assignedMechanic'], ['in_progress', 'void']],
    ['in_progress', 'assignedMechanic', ['completed']],
    ['completed', 'advisor', ['in_progress', 'void']],
    ['completed', 'assignedMechanic', ['in_progress']],
    ['declined', 'admin', ['draft', 'void']],
    ['invoiced', ['advisor', 'admin', 'assignedMechanic', 'system'], []],
    ['void', ['advisor', 'admin', 'assignedMechanic', 'system'], []],
  ])('allowedFrom(%s, %j) is %j', (from, actor, expected) => {
    expect(workOrderMachine.allowedFrom(from, actor)).toEqual(expected)
  })

  it('names what the service checks besides', () => {
    expect(workOrderMachine.requirement('in_progress', 'completed')).toBe('approvedJobsCompletedAndOdometerOut')
    expect(WORK_ORDER_STATUSES.filter((from) => workOrderMachine.requirement(from, 'void') === 'reason')).toEqual(['draft', 'awaiting_approval', 'approved', 'in_progress', 'completed', 'declined'])
    expect(workOrderMachine.requirement('approved', 'in_progress')).toBeUndefined()
  })

  it('reaches every status from draft, and none from invoiced or void', () => {
    expect(workOrderMachine.initial).toBe('draft')
    expect(workOrderMachine.reachableFrom('draft')).toEqual([...WORK_ORDER_STATUSES])
    expect(workOrderMachine.reachableFrom('invoiced')).toEqual(['invoiced'])
    expect(workOrderMachine.reachableFrom('void')).toEqual(['void'])
  })

  it('counts as open every status but invoiced and void', () => {
    expect(OPEN_WORK_ORDER_STATUSES).toEqual(['draft', 'awaiting_approval', 'approved', 'in_progress', 'completed', 'declined'])
    // Open is exactly "can still move": the closed statuses are the dead ends.
    expect(WORK_ORDER_STATUSES.filter((s) => workOrderMachine.allowedFrom(s, ACTORS).length > 0)).toEqual(OPEN_WORK_ORDER_STATUSES)
  })
})
