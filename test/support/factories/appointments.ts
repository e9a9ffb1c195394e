import type { FastifyInstance } from 'fastify'
import { insertBay } from '../../../src/modules/bays/index.ts'
import type { Db } from '../../../src/platform/db/database.ts'

const OPEN = [{ opens: '08:00', closes: '18:00' }]

/** Opening hours every day 08:00-18:00. */
export const EVERY_DAY_HOURS = { mon: OPEN, tue: OPEN, wed: OPEN, thu: OPEN, fri: OPEN, sat: OPEN, sun: OPEN }

/** Makes the shop book in UTC, every day 08:00-18:00, in 30-minute slots (through PATCH /api/shop as an admin). */
export async function useUtcShop(app: FastifyInstance, admin: { auth: { authorization: string } }): Promise<void> {
  const res = await app.inject({ method: 'PATCH', url: '/api/shop', headers: admin.auth, payload: { timezone: 'UTC', openingHours: EVERY_DAY_HOURS, slotMinutes: 30 } })
  if (res.statusCode !== 200) throw new Error(`PATCH /api/shop: ${res.statusCode} ${res.body}`)
}

/** Inserts an active bay with a unique name. */
export async function createBay(db: Db, fields: { name?: string; active?: boolean } = {}) {
  return insertBay(db, { name: fields.name ?? `Bay ${Math.random().toString(36).slice(2, 10)}`, active: fields.active ?? true })
}

/** The UTC date `days` from today, YYYY-MM-DD. */
export function daysAhead(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
}

/** The ISO instant of `HH:MM` UTC on a date. */
export function at(date: string, time: string): string {
  return new Date(`${date}T${time}:00.000Z`).toISOString()
}

/** A booking body for [from, to) on a date `days` ahead (UTC shop). */
export function booking(vehicleId: number, days: number, from = '10:00', to = '10:30', extra: Record<string, unknown> = {}) {
  const date = daysAhead(days)
  return { vehicleId, startsAt: at(date, from), endsAt: at(date, to), ...extra }
}
