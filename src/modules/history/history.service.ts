import type { Actor } from '../../platform/auth/principal.ts'
import type { Executor } from '../../platform/db/database.ts'
import { reachableVehicleIds, vehicleNotFound } from '../vehicles/index.ts'
import { workOrderHistoryOf } from '../work-orders/index.ts'
import type { VehicleHistory } from './history.schemas.ts'

/** A vehicle's history: what other modules hold of it, put together for the owner and the desk. */
export function createHistoryService(deps: { db: Executor }) {
  const { db } = deps
  return {
    /**
     * The vehicle's visits, recommendations and inspections; 404 for a vehicle out of reach. A
     * customer sees the orders opened for them, not a former owner's.
     */
    async ofVehicle(actor: Actor, vehicleId: number): Promise<VehicleHistory> {
      if (!(await reachableVehicleIds(db, actor, [vehicleId])).has(vehicleId)) throw vehicleNotFound()
      const history = await workOrderHistoryOf(db, vehicleId, actor.grant === 'own' ? actor.userId : undefined)
      return {
        // Invoices arrive with their module; until then no order is invoiced through the API.
        workOrders: history.workOrders.map(({ invoiceId: _invoiceId, ...visit }) => ({ ...visit, invoice: null })),
        recommendations: history.recommendations,
        inspections: history.inspections,
      }
    },
  }
}
