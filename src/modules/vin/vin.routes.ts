import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { success } from '../../platform/http/responses.ts'
import { decodeVin } from './vin-decode.ts'
import { VinDecodingSchema, VinParams, type VinDecodingResponse } from './vin.schemas.ts'

/** GET /api/vin/:vin. */
export async function vinRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()

  app.get(
    '/:vin',
    {
      config: { permission: 'vin:decode' },
      schema: {
        tags: ['vin'],
        operationId: 'decodeVin',
        summary: 'Decode a VIN offline (anyone signed in)',
        description:
          'Reads region, country, manufacturer, model years and the check digit from offline tables (SAE\'s WMI chart, 49 CFR 565). ' +
          'Always 200 for any text up to 64 characters: a VIN that is not well-formed answers valid: false with the reasons in ' +
          '`problems` (an extension of the contract), and a wrong check digit leaves it valid, reported as checkDigit.expected ≠ actual. ' +
          'checkDigit.applies is true for first characters 1–5, as the contract says; 7 is also assigned to the United States ' +
          '(Tesla\'s Texas plant) and shows region North America, but the contract\'s rule is 1–5, so its check digit is not applied. ' +
          'Not cached: a pure computation over tables in memory, with nothing to save.',
        params: VinParams,
        response: { 200: success('What the VIN says about itself', VinDecodingSchema) },
      },
    },
    async (request): Promise<VinDecodingResponse> => {
      const { vin, valid, checkDigit, region, country, manufacturer, modelYears, problems } = decodeVin(request.params.vin)
      return { vin, valid, checkDigit, region, country, manufacturer, modelYears, problems }
    },
  )
}
