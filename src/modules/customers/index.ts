import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { STAFF_ROLES } from '../../platform/auth/roles.ts'
import { IdParams, problemResponses } from '../../platform/http/common.schemas.ts'
import { actorOf } from '../vehicles/vehicles.service.ts'
import { CreateCustomerBody, CustomerList, CustomerSchema, CustomerVehicles, CustomerVehiclesQuery, ListCustomersQuery } from './customers.schemas.ts'
import { pageOfVehicles } from './customers.service.ts'
import { createCustomersService } from './customers.service.ts'

/** Routes of the customers module: the front desk's customer accounts and the seed's get_customer_vehicles. */
export async function customersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const customers = createCustomersService({ db: app.db, writer: app.writer, cache: app.cache, config: app.config })

  app.get(
    '/',
    {
      config: { roles: STAFF_ROLES },
      schema: {
        tags: ['customers'],
        summary: 'List customers (staff)',
        description: 'Every customer account, active or not, by id; q searches name, email and phone literally.',
        querystring: ListCustomersQuery,
        response: { 200: CustomerList, ...problemResponses },
      },
    },
    async (request) => customers.list(request.query),
  )

  app.post(
    '/',
    {
      config: { roles: ['advisor', 'admin'] },
      schema: {
        tags: ['customers'],
        summary: 'Open a customer account at the front desk (advisor, admin)',
        description: 'Without a password the account exists but cannot sign in until one is set. 409 if the email is taken.',
        body: CreateCustomerBody,
        response: { 201: CustomerSchema, ...problemResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await customers.create(request.body)),
  )

  app.get(
    '/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'Get a customer',
        description: 'The customer themself or staff; anyone else, a staff account or an unknown id is 404.',
        params: IdParams,
        response: { 200: CustomerSchema, ...problemResponses },
      },
    },
    async (request) => customers.get(actorOf(request.principal), request.params.id),
  )

  app.get(
    '/:id/vehicles',
    {
      schema: {
        tags: ['customers', 'vehicles'],
        summary: "All of a customer's vehicles (the seed's get_customer_vehicles)",
        description:
          'The customer themself or staff (anyone else: 404). Served from the data cache key customer_vehicles_<id> ' +
          '(CACHE_TTL_CUSTOMER_VEHICLES, 1 hour), empty lists included; X-Cache tells how. Every vehicle write shows at once. ' +
          'Without limit or cursor: every vehicle, `{ items }`; with them: a page by id and `nextCursor`, cut from the same cached list.',
        params: IdParams,
        querystring: CustomerVehiclesQuery,
        response: { 200: CustomerVehicles, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { value, status } = await customers.vehicles(actorOf(request.principal), request.params.id)
      // Personal data: shared caches must not keep it, and the browser must ask again each time.
      void reply.header('x-cache', status).header('cache-control', 'private, no-cache')
      return pageOfVehicles(value, request.query)
    },
  )
}
