import type { Actor } from '../../platform/auth/principal.ts'
import { PlatformErrors } from '../../platform/http/platform.errors.ts'
import type { Writer } from '../../platform/cache/writer.ts'
import { problem } from '../../platform/http/errors.ts'
import { invalidInput } from '../../platform/http/errors.ts'
import { changesBetween, recordAudit } from '../audit/index.ts'
import type { ShopService } from '../shop/index.ts'
import { appointmentMachine, type AppointmentActor } from './appointment.machine.ts'
import { touchAppointment } from './appointment-writes.ts'
import { AppointmentErrors } from './appointments.errors.ts'
import { reachesAppointment } from './appointments.policy.ts'
import { lockAppointment, updateAppointment } from './appointments.repository.ts'
import { toAppointment, type Appointment, type AppointmentStatusInput } from './appointments.schemas.ts'
import { appointmentNotFound } from './appointments.service.ts'
import type { AppointmentCheckIn } from './check-in.ts'

/** The machine's actor of a caller: a customer acts as the appointment's owner (their reach is checked first). */
function machineActor(actor: Actor): AppointmentActor {
  return actor.role === 'advisor' || actor.role === 'admin' ? actor.role : 'owner'
}

/** Status changes through the appointment machine; check-in runs the registered handler in the same transaction. */
export function createAppointmentStatusService(deps: { writer: Writer; shop: ShopService; checkIn: AppointmentCheckIn; now?: () => Date }) {
  const now = deps.now ?? (() => new Date())
  return {
    /** Moves an appointment to `input.status`: 409 with `allowed` when the machine refuses, nothing changed. */
    async change(actor: Actor, id: number, input: AppointmentStatusInput): Promise<Appointment> {
      const checkingIn = input.status === 'checked_in'
      if (checkingIn && input.odometer === undefined) throw invalidInput('The request is invalid; see errors.', [{ field: 'body.odometer', message: 'is required to check in' }])
      if (!checkingIn && (input.odometer !== undefined || input.odometerUnit !== undefined)) {
        const field = input.odometer !== undefined ? 'body.odometer' : 'body.odometerUnit'
        throw invalidInput('The request is invalid; see errors.', [{ field, message: 'is only for checked_in' }])
      }
      // Outside the transaction: a cache miss queries through the pool (PGlite has one connection).
      const { timezone } = await deps.shop.row()
      return deps.writer.transaction(async (tx, touch) => {
        const before = await lockAppointment(tx, id)
        if (!before || !reachesAppointment(actor, before)) throw appointmentNotFound()
        const by = machineActor(actor)
        const met = (requirement: string) => requirement !== 'afterStart' || now().getTime() >= before.startsAt.getTime()
        if (!appointmentMachine.can(before.status, input.status, by, met)) {
          const allowed = appointmentMachine.allowedFrom(before.status, by, met)
          throw problem(PlatformErrors.ILLEGAL_TRANSITION, `An appointment cannot move from ${before.status} to ${input.status} for you.`, { extra: { allowed } })
        }
        let workOrderId = before.workOrderId
        if (checkingIn) {
          const handler = deps.checkIn.handler()
          if (!handler) throw problem(AppointmentErrors.CHECK_IN_UNAVAILABLE, 'Check-in is not available: no work-order flow is registered.', { retryAfterSeconds: 60 })
          ;({ workOrderId } = await handler(tx, touch, { appointment: toAppointment(before), actor, odometer: input.odometer!, odometerUnit: input.odometerUnit }))
        }
        const after = await updateAppointment(tx, id, { status: input.status, workOrderId })
        const changes = changesBetween(toAppointment(before), toAppointment(after))
        delete changes.updatedAt
        await recordAudit(tx, { actorId: actor.userId, action: `appointment.${input.status}`, entity: 'appointment', entityId: id, changes })
        touchAppointment(touch, timezone, after, before)
        return toAppointment(after)
      })
    },
  }
}
