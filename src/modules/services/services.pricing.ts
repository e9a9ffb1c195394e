import { lineAmounts } from '../../kernel/money.ts'
import type { Service } from './services.schemas.ts'
import type { ServiceRow } from './services.table.ts'

/**
 * What a service costs before tax and discounts: its labour hours at the shop's labour rate (the
 * kernel's line arithmetic, rounded half away from zero), plus its parts, which count 0 until the
 * parts issue gives them prices.
 */
export function serviceEstimateCents(row: Pick<ServiceRow, 'labourHours'>, labourRateCents: number): number {
  const labour = lineAmounts({ kind: 'labour', quantity: row.labourHours, unitPriceCents: labourRateCents, discountCents: 0 }).amountCents
  const parts = 0
  return labour + parts
}

/** The API object of a service row, priced at the shop's labour rate. */
export function toService(row: ServiceRow, labourRateCents: number): Service {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    labourHours: row.labourHours,
    parts: row.parts.map((part) => ({ partId: part.partId, quantity: part.quantity })),
    intervalMonths: row.intervalMonths,
    intervalKm: row.intervalKm,
    active: row.active,
    estimatePriceCents: serviceEstimateCents(row, labourRateCents),
  }
}
