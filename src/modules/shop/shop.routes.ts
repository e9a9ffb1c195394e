import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/auth/principal.ts'
import { PlatformErrors } from '../../platform/http/platform.errors.ts'
import { CACHED_HEADERS, errors, success } from '../../platform/http/responses.ts'
import { ShopSchema, UpdateShopBody } from './shop.schemas.ts'
import { createShopService } from './shop.service.ts'

/** GET and PATCH /api/shop. */
export async function shopRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const shop = createShopService({ db: app.db, writer: app.writer, cache: app.dataCache, config: app.config })

  app.get(
    '/',
    {
      config: { public: true },
      schema: {
        tags: ['shop'],
        operationId: 'getShop',
        summary: "The shop's settings (anyone)",
        description:
          'Name, timezone, currency, labour rate, tax rates, opening hours, slot length, service intervals and the default odometer unit. ' +
          'Public: the booking page shows opening hours before anyone signs in. Served from the data cache (key shop_settings, tag shop); ' +
          'a PATCH shows at once on every instance.',
        security: [],
        response: { 200: success('The shop', ShopSchema, CACHED_HEADERS), ...errors({ 429: [{ ...PlatformErrors.RATE_LIMITED, description: 'Too many requests from this address (RATE_LIMIT_PER_MINUTE)' }] }) },
      },
    },
    async (_request, reply) => {
      const { shop: value, status } = await shop.get()
      void reply.header('x-cache', status).header('cache-control', 'no-cache')
      return value
    },
  )

  app.patch(
    '/',
    {
      config: { permission: 'shop:update' },
      schema: {
        tags: ['shop'],
        operationId: 'updateShop',
        summary: "Change the shop's settings (admin)",
        description:
          'Any of the settings. New rates apply to invoices issued afterwards only (an invoice keeps the rates it was issued with). ' +
          'An unknown timezone or opening intervals that overlap or close before they open are 400 and change nothing. Audited.',
        body: UpdateShopBody,
        response: { 200: success('The shop as changed', ShopSchema) },
      },
    },
    async (request) => shop.update(actorOf(request), request.body),
  )
}
