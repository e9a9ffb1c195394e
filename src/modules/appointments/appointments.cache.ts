import { tagFamily, type CacheDeclaration } from '../../platform/cache/cache-declaration.ts'
import { baysTag } from '../bays/index.ts'
import { shopTag } from '../shop/index.ts'

/*
 * Cache keys and tags of appointments (docs/caching.md is generated from this: `npm run docs:cache`).
 * Every appointment write touches the appointment, the staff lists, its customer's and its
 * mechanics' (old and new) lists, and the shop dates it held or holds (availability).
 */

/** Everything derived from one appointment. */
export const appointmentTag = tagFamily<[number]>('appointment:<id>', 'everything derived from one appointment')

/** Every staff view over all appointments. */
export const allAppointmentsTag = tagFamily('appointments', 'every staff list over all appointments')

/** One customer's appointment lists. */
export const customerAppointmentsTag = tagFamily<[number]>('customer:<id>:appointments', "one customer's appointment lists")

/** One mechanic's appointment lists (the appointments assigned to them). */
export const mechanicAppointmentsTag = tagFamily<[number]>('mechanic:<id>:appointments', "one mechanic's appointment lists")

/** The bay and mechanic holdings of one shop date (availability). */
export const appointmentDayTag = tagFamily<[string]>('appointments:day:<date>', 'the appointments holding bays and mechanics on one shop date')

/** Cache namespaces of appointments. */
export const APPOINTMENT_NAMESPACES = {
  list: 'appointment_list',
  one: 'appointment_detail',
  day: 'appointment_day',
} as const

const ALL_WRITE_TAGS = [appointmentTag, allAppointmentsTag, customerAppointmentsTag, mechanicAppointmentsTag, appointmentDayTag]

/** The appointments module's cache declaration. */
export const APPOINTMENTS_CACHE: CacheDeclaration = {
  namespaces: [
    {
      name: APPOINTMENT_NAMESPACES.list,
      kind: 'response',
      key: 'appointment_list_u<userId>_<role>_<route pattern>|<params>|<validated query>',
      holds:
        "GET /api/appointments, per user: a customer's carries `customer:<userId>:appointments`, a mechanic's `mechanic:<userId>:appointments`, advisors' and admins' `appointments`",
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [customerAppointmentsTag, mechanicAppointmentsTag, allAppointmentsTag],
    },
    {
      name: APPOINTMENT_NAMESPACES.one,
      kind: 'response',
      key: 'appointment_detail_u<userId>_<role>_/api/appointments/:id|{"id":<id>}|{}',
      holds: 'GET /api/appointments/:id, per user',
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [appointmentTag],
    },
    {
      name: APPOINTMENT_NAMESPACES.day,
      kind: 'data',
      key: 'appointment_day_<YYYY-MM-DD>',
      holds:
        "GET /api/availability's data: the active bays and the bay-holding appointments of one shop date (shared by every user; the free mechanics are read per request)",
      ttlSetting: 'CACHE_TTL_RESPONSE',
      tags: [appointmentDayTag, baysTag, shopTag],
    },
  ],
  tags: [appointmentTag, allAppointmentsTag, customerAppointmentsTag, mechanicAppointmentsTag, appointmentDayTag],
  writes: [
    { write: 'POST /api/appointments', touches: ALL_WRITE_TAGS, note: 'the mechanic\'s tag when one is named; a replayed Idempotency-Key touches nothing' },
    { write: 'PATCH /api/appointments/:id', touches: ALL_WRITE_TAGS, note: 'old and new mechanic, old and new shop dates' },
    { write: 'POST /api/appointments/:id/status', touches: ALL_WRITE_TAGS, note: 'plus what the check-in handler touches (work order, odometer)' },
  ],
}
