/* The vin module's public face (minimal: a colleague adds the module's routes and registry entry). */
export { checkDigitWarning } from './vin-decode.ts'
