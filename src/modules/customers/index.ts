import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { STAFF_ROLES } from '../../platform/auth/roles.ts'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { CACHED_HEADERS, created, errors, success } from '../../platform/http/responses.ts'
import { actorOf } from '../vehicles/vehicles.service.ts'
import { CreateCustomerBody, CustomerList, CustomerSchema, CustomerVehicles, ListCustomersQuery } from './customers.schemas.ts'
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
        operationId: 'listCustomers',
        summary: 'List customers (staff)',
        description:
          'Every customer account, active or not, by id; q searches name, email, phone and the plates and VINs of their vehicles ' +
          '(every word must match; 07700900104 finds 07700 900104, AB18CDE finds a customer whose car is AB18 CDE).',
        querystring: ListCustomersQuery,
        response: { 200: success('A page of customers', CustomerList) },
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
        operationId: 'createCustomer',
        summary: 'Open a customer account at the front desk (advisor, admin)',
        description: 'Without a password the account exists but cannot sign in until one is set. 409 if the email is taken.',
        body: CreateCustomerBody,
        response: { 201: created('The new customer', CustomerSchema), ...errors({ 409: 'The email is taken (ECAR_ERR_EMAIL_TAKEN)' }) },
      },
    },
    async (request, reply) => {
      const customer = await customers.create(request.body)
      return reply.code(201).header('location', `/api/customers/${customer.id}`).send(customer)
    },
  )

  app.get(
    '/:id',
    {
      schema: {
        tags: ['customers'],
        operationId: 'getCustomer',
        summary: 'Get a customer',
        description: 'The customer themself or staff; anyone else, a staff account or an unknown id is 404.',
        params: IdParams,
        response: { 200: success('The customer', CustomerSchema), ...errors({ 404: 'No such customer, or not visible to the caller' }) },
      },
    },
    async (request) => customers.get(actorOf(request.principal), request.params.id),
  )

  app.get(
    '/:id/vehicles',
    {
      schema: {
        tags: ['customers', 'vehicles'],
        operationId: 'listCustomerVehicles',
        summary: "All of a customer's vehicles (the seed's get_customer_vehicles)",
        description:
          'The customer themself or staff (anyone else: 404). Served from the data cache key customer_vehicles_<id> ' +
          '(CACHE_TTL_CUSTOMER_VEHICLES, 1 hour), empty lists included; X-Cache tells how. Every vehicle write shows at once.',
        params: IdParams,
        response: {
          200: success("The customer's vehicles", CustomerVehicles, CACHED_HEADERS),
          304: { type: 'null', description: 'Not modified: the If-None-Match tag is current' },
          ...errors({ 404: 'No such customer, or not visible to the caller' }),
        },
      },
    },
    async (request, reply) => {
      const { value, status } = await customers.vehicles(actorOf(request.principal), request.params.id)
      // Personal data: shared caches must not keep it, and the browser must ask again each time.
      void reply.header('x-cache', status).header('cache-control', 'private, no-cache')
      return { items: value }
    },
  )
}
