import type { FastifyInstance } from 'fastify'
import { ServiceErrors } from './services.errors.ts'
import { PlatformErrors } from '../../platform/http/platform.errors.ts'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { actorOf } from '../../platform/auth/principal.ts'
import type { Tag } from '../../platform/cache/cache-declaration.ts'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { created, errors, success } from '../../platform/http/responses.ts'
import { createShopService, shopTag } from '../shop/index.ts'
import { SERVICE_NAMESPACES, servicesTag } from './services.cache.ts'
import { CreateServiceBody, ListServicesQuery, ServiceList, ServiceSchema, UpdateServiceBody } from './services.schemas.ts'
import { createServicesService } from './services.service.ts'

/** Catalogue answers depend on the catalogue and on the shop's labour rate (estimatePriceCents). */
const catalogueTags = (): Tag[] => [servicesTag(), shopTag()]

const PRICE_NOTE =
  "estimatePriceCents is labourHours at the shop's current labour rate (a PATCH /api/shop of the rate shows at once) plus parts, " +
  'which arrive with the parts issue and count 0 until then.'

/** GET, POST /api/services and GET, PATCH /api/services/:id. */
export async function servicesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const shop = createShopService({ db: app.db, writer: app.writer, cache: app.dataCache, config: app.config })
  const catalogue = createServicesService({ db: app.db, writer: app.writer, shop })

  app.get(
    '/',
    {
      config: { permission: 'service:read', cache: { namespace: SERVICE_NAMESPACES.list, scope: 'user', tags: catalogueTags } },
      schema: {
        tags: ['services'],
        operationId: 'listServices',
        summary: 'The service catalogue (anyone signed in)',
        description:
          'The canned jobs by id. Customers see active services only (?active=false gives them an empty list); staff see all, ' +
          `or only active or inactive ones with ?active=. ${PRICE_NOTE} Response-cached per user (tags services and shop); ` +
          'every catalogue write shows at once.',
        querystring: ListServicesQuery,
        response: { 200: success('A page of services', ServiceList) },
      },
    },
    async (request) => catalogue.list(actorOf(request), request.query),
  )

  app.post(
    '/',
    {
      config: { permission: 'service:create' },
      schema: {
        tags: ['services'],
        operationId: 'createService',
        summary: 'Add a service to the catalogue (advisor, admin)',
        description:
          'Code (stored upper-case, unique), name, labour hours (> 0, at most 2 decimals), optional description, intervals (positive, or ' +
          `null for none) and active (default true). Parts must be [] until the parts issue. ${PRICE_NOTE} Audited.`,
        body: CreateServiceBody,
        response: {
          201: created('The new service', ServiceSchema),
          ...errors({ 403: [{ ...PlatformErrors.FORBIDDEN, description: 'Customers and mechanics' }], 409: [ServiceErrors.SERVICE_CODE_TAKEN] }),
        },
      },
    },
    async (request, reply) => {
      const service = await catalogue.create(actorOf(request), request.body)
      return reply.code(201).header('location', `/api/services/${service.id}`).send(service)
    },
  )

  app.get(
    '/:id',
    {
      config: { permission: 'service:read', cache: { namespace: SERVICE_NAMESPACES.one, scope: 'user', tags: catalogueTags } },
      schema: {
        tags: ['services'],
        operationId: 'getService',
        summary: 'One service of the catalogue (anyone signed in)',
        description: `An inactive service is 404 for customers. ${PRICE_NOTE} Response-cached per user (tags services and shop).`,
        params: IdParams,
        response: { 200: success('The service', ServiceSchema), ...errors({ 404: [ServiceErrors.SERVICE_NOT_FOUND] }) },
      },
    },
    async (request) => catalogue.get(actorOf(request), request.params.id),
  )

  app.patch(
    '/:id',
    {
      config: { permission: 'service:update' },
      schema: {
        tags: ['services'],
        operationId: 'updateService',
        summary: 'Change a service (advisor, admin)',
        description:
          'Any writable field; an interval set to null is removed. A service is never deleted (work orders and reminders point at ' +
          'it): deactivate it instead. A change applies to jobs created afterwards; jobs already on work orders keep their lines. Audited.',
        params: IdParams,
        body: UpdateServiceBody,
        response: {
          200: success('The service as changed', ServiceSchema),
          ...errors({ 403: [{ ...PlatformErrors.FORBIDDEN, description: 'Customers and mechanics' }], 404: [ServiceErrors.SERVICE_NOT_FOUND], 409: [ServiceErrors.SERVICE_CODE_TAKEN] }),
        },
      },
    },
    async (request) => catalogue.update(actorOf(request), request.params.id, request.body),
  )
}
