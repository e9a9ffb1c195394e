import type { FastifyInstance } from 'fastify'
import { createShopService } from '../shop/index.ts'
import { createClockService } from './clock.service.ts'
import { createEstimatesService } from './estimates.service.ts'
import { createJobsService } from './jobs.service.ts'
import { createWorkOrdersService, type WorkOrderDeps } from './work-orders.service.ts'

/** The module's services on an app: the shop's settings (data-cached) give the labour rate and tax rates. */
export function workOrderServices(app: FastifyInstance) {
  const shop = createShopService({ db: app.db, writer: app.writer, cache: app.dataCache, config: app.config })
  const deps: WorkOrderDeps = {
    db: app.db,
    writer: app.writer,
    async pricing() {
      const row = await shop.row()
      return {
        taxRates: { labourBp: row.labourTaxBp, partsBp: row.partsTaxBp, feesBp: row.feesTaxBp },
        labourRateCents: row.labourRateCents,
        shopName: row.name,
        currency: row.currency,
      }
    },
  }
  const orders = createWorkOrdersService(deps)
  return {
    deps,
    orders,
    jobs: createJobsService({ ...deps, presentOne: orders.presentOne }),
    clock: createClockService(deps),
    estimates: createEstimatesService({ ...deps, publicUrl: app.config.mail.publicUrl, outbox: app.outbox }),
  }
}
