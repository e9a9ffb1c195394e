/*
 * The flows: use cases across modules, registered after every module's plugins (they plug into the
 * ports and events modules offer) and before any route.
 */
import { checkInFlow } from './check-in/check-in.flow.ts'

/** Every flow plugin, in registration order. */
export const FLOWS = [checkInFlow] as const
