/* The vehicles module's problems. */
import { defineErrors } from '../../platform/http/error-catalog.ts'

/** The vehicles module's catalogue. */
export const VehicleErrors = defineErrors({
  VEHICLE_NOT_FOUND: { code: 'ECAR_ERR_VEHICLE_NOT_FOUND', status: 404, description: "No such vehicle, or another customer's" },
  DUPLICATE_VIN: { code: 'ECAR_ERR_DUPLICATE_VIN', status: 409, description: 'The VIN belongs to another vehicle' },
  TOO_MANY_VEHICLES: { code: 'ECAR_ERR_TOO_MANY_VEHICLES', status: 409, description: 'The owner has MAX_VEHICLES_PER_CUSTOMER vehicles' },
  MILEAGE_DECREASE: { code: 'ECAR_ERR_MILEAGE_DECREASE', status: 409, description: 'An update would lower the mileage: only an odometer correction (staff, with a reason) lowers it' },
  // The contract's refusal of DELETE /api/vehicles/:id; raised once work orders exist (vehicles.service.ts).
  VEHICLE_HAS_OPEN_WORK_ORDERS: { code: 'ECAR_ERR_VEHICLE_HAS_OPEN_WORK_ORDERS', status: 409, description: 'The vehicle has open work orders' },
  VEHICLE_HAS_HISTORY: {
    code: 'ECAR_ERR_VEHICLE_HAS_HISTORY',
    status: 409,
    description: 'The vehicle has invoiced or void work orders, kept as its service history',
  },
  VEHICLE_IN_USE: { code: 'ECAR_ERR_VEHICLE_IN_USE', status: 409, description: 'Appointments or work orders name the vehicle: it is kept with their history' },
} as const)
