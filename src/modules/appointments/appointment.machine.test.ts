import { describe, expect, it } from 'vitest'
import { APPOINTMENT_STATUSES, appointmentMachine, BAY_HOLDING_APPOINTMENT_STATUSES, type AppointmentActor, type AppointmentStatus } from './appointment.machine.ts'

const ACTORS: AppointmentActor[] = ['owner', 'advisor', 'admin']

// Every allowed (from, to, actor), written out: any change to the table must change this list.
const ALLOWED = [
  'requested → confirmed by advisor',
  'requested → confirmed by admin',
  'requested → cancelled by owner',
  'requested → cancelled by advisor',
  'requested → cancelled by admin',
  'confirmed → checked_in by advisor',
  'confirmed → checked_in by admin',
  'confirmed → cancelled by owner',
  'confirmed → cancelled by advisor',
  'confirmed → cancelled by admin',
  'confirmed → no_show by advisor',
  'confirmed → no_show by admin',
]

describe('the appointment machine', () => {
  const triples = APPOINTMENT_STATUSES.flatMap((from) => APPOINTMENT_STATUSES.flatMap((to) => ACTORS.map((actor) => ({ from, to, actor }))))

  it.each(triples)('$from → $to by $actor is as listed', ({ from, to, actor }) => {
    expect(appointmentMachine.can(from, to, actor)).toBe(ALLOWED.includes(`${from} → ${to} by ${actor}`))
  })

  it('lists real moves only, each once', () => {
    expect(ALLOWED.filter((key) => !triples.some((t) => `${t.from} → ${t.to} by ${t.actor}` === key))).toEqual([])
    expect(new Set(ALLOWED).size).toBe(ALLOWED.length)
  })

  it.each<[AppointmentStatus, AppointmentActor | AppointmentActor[], string[]]>([
    ['requested', 'owner', ['cancelled']],
    ['requested', 'advisor', ['confirmed', 'cancelled']],
    ['confirmed', 'owner', ['cancelled']],
    ['confirmed', 'admin', ['checked_in', 'cancelled', 'no_show']],
    ['checked_in', ACTORS, []],
    ['cancelled', ACTORS, []],
    ['no_show', ACTORS, []],
  ])('allowedFrom(%s, %j) is %j', (from, actor, expected) => {
    expect(appointmentMachine.allowedFrom(from, actor)).toEqual(expected)
  })

  it('lets no-show wait for the start: the service checks afterStart', () => {
    expect(appointmentMachine.requirement('confirmed', 'no_show')).toBe('afterStart')
    const beforeStart = (requirement: string) => requirement !== 'afterStart'
    expect(appointmentMachine.can('confirmed', 'no_show', 'advisor', beforeStart)).toBe(false)
    expect(appointmentMachine.allowedFrom('confirmed', 'advisor', beforeStart)).toEqual(['checked_in', 'cancelled'])
    expect(appointmentMachine.can('confirmed', 'no_show', 'advisor', () => true)).toBe(true)
  })

  it('reaches every status from requested', () => {
    expect(appointmentMachine.initial).toBe('requested')
    expect(appointmentMachine.reachableFrom('requested')).toEqual([...APPOINTMENT_STATUSES])
  })

  it('holds a bay while requested, confirmed or checked in', () => {
    expect(BAY_HOLDING_APPOINTMENT_STATUSES).toEqual(['requested', 'confirmed', 'checked_in'])
  })
})
