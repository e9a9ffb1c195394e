import { OdometerErrors } from './odometer.errors.ts'

/** The OpenAPI text of some of the catalogue's problems: each one's description with its code. */
export function describeErrors(names: readonly (keyof typeof OdometerErrors)[]): string {
  return names.map((name) => `${OdometerErrors[name].description} (${OdometerErrors[name].code})`).join('; ')
}
