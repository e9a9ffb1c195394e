import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { IdParams } from '../../platform/http/common.schemas.ts'
import { CACHED_HEADERS, created, errors, success } from '../../platform/http/responses.ts'
import { actorOf } from '../../platform/auth/principal.ts'
import { createDbRateLimiter } from '../../platform/auth/db-rate-limiter.ts'
import { AuthErrors, createAccountLinksService, InvitationCreated } from '../auth/index.ts'
import { UserErrors } from '../users/index.ts'
import { CreateCustomerBody, CustomerList, CustomerSchema, CustomerVehicles, CustomerVehiclesQuery, ListCustomersQuery, UpdateCustomerBody } from './customers.schemas.ts'
import { pageOfVehicles } from './customers.service.ts'
import { createCustomersService } from './customers.service.ts'

// Staff-only routes: a customer they cannot see does not arise, an unknown id does.
const NO_SUCH_CUSTOMER = { ...UserErrors.CUSTOMER_NOT_FOUND, description: 'No such customer' }

/** Routes of the customers module: the front desk's customer accounts and the seed's get_customer_vehicles. */
export async function customersRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const customers = createCustomersService({ db: app.db, writer: app.writer, cache: app.dataCache, config: app.config, events: app.accountEvents })
  const limiter = createDbRateLimiter(app.database.db)
  const links = createAccountLinksService({ db: app.db, writer: app.writer, config: app.config, limiter, outbox: app.outbox })

  app.get(
    '/',
    {
      config: { permission: 'customer:list' },
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
      config: { permission: 'customer:create' },
      schema: {
        tags: ['customers'],
        operationId: 'createCustomer',
        summary: 'Open a customer account at the front desk (advisor, admin)',
        description: 'Without a password the account exists but cannot sign in until one is set. 409 if the email is taken.',
        body: CreateCustomerBody,
        response: { 201: created('The new customer', CustomerSchema), ...errors({ 409: [UserErrors.EMAIL_TAKEN] }) },
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
      config: { permission: 'customer:read' },
      schema: {
        tags: ['customers'],
        operationId: 'getCustomer',
        summary: 'Get a customer',
        description: 'The customer themself or staff; anyone else, a staff account or an unknown id is 404.',
        params: IdParams,
        response: { 200: success('The customer', CustomerSchema), ...errors({ 404: [UserErrors.CUSTOMER_NOT_FOUND] }) },
      },
    },
    async (request) => customers.get(actorOf(request), request.params.id),
  )

  app.get(
    '/:id/vehicles',
    {
      config: { permission: 'customer:read' },
      schema: {
        tags: ['customers', 'vehicles'],
        operationId: 'listCustomerVehicles',
        summary: "All of a customer's vehicles (the seed's get_customer_vehicles)",
        description:
          'The customer themself or staff (anyone else: 404). Served from the data cache key customer_vehicles_<id> ' +
          '(CACHE_TTL_CUSTOMER_VEHICLES, 1 hour), empty lists included; X-Cache tells how. Every vehicle write shows at once. ' +
          'Without limit or cursor: every vehicle, `{ items }`; with them: a page by id and `nextCursor`, cut from the same cached list.',
        params: IdParams,
        querystring: CustomerVehiclesQuery,
        response: {
          200: success("The customer's vehicles", CustomerVehicles, CACHED_HEADERS),
          304: { type: 'null', description: 'Not modified: the If-None-Match tag is current' },
          ...errors({ 404: [UserErrors.CUSTOMER_NOT_FOUND] }),
        },
      },
    },
    async (request, reply) => {
      const { value, status } = await customers.vehicles(actorOf(request), request.params.id)
      // Personal data: shared caches must not keep it, and the browser must ask again each time.
      void reply.header('x-cache', status).header('cache-control', 'private, no-cache')
      return pageOfVehicles(value, request.query)
    },
  )

  app.patch(
    '/:id',
    {
      config: { permission: 'customer:update' },
      schema: {
        tags: ['customers'],
        operationId: 'updateCustomer',
        summary: "Change a customer's name, phone, email, notes or reminders consent (advisor, admin)",
        description:
          '409 ECAR_ERR_EMAIL_TAKEN when another account has the email. A new email retires unused reset and invitation links. ' +
          'Customers change their own name and phone with PATCH /api/auth/me.',
        params: IdParams,
        body: UpdateCustomerBody,
        response: { 200: success('The customer as changed', CustomerSchema), ...errors({ 404: [NO_SUCH_CUSTOMER], 409: [UserErrors.EMAIL_TAKEN] }) },
      },
    },
    async (request) => customers.update(request.params.id, request.body),
  )

  app.post(
    '/:id/invitations',
    {
      config: { permission: 'customer:invite' },
      schema: {
        tags: ['customers', 'auth'],
        operationId: 'inviteCustomer',
        summary: 'Invite a customer opened at the front desk to set a password (advisor, admin)',
        description:
          'A one-time link <PUBLIC_URL>/invite#token=… valid INVITATION_TTL (7 days), also mailed to the customer; a new ' +
          'invitation replaces the last. 409 ECAR_ERR_HAS_PASSWORD when the account already has a password, ' +
          '409 ECAR_ERR_CUSTOMER_INACTIVE when it is deactivated.',
        params: IdParams,
        response: {
          201: created('The invitation link (also mailed when the customer has an email)', InvitationCreated),
          ...errors({ 404: [NO_SUCH_CUSTOMER], 409: [AuthErrors.HAS_PASSWORD, AuthErrors.CUSTOMER_INACTIVE] }),
        },
      },
    },
    async (request, reply) => {
      const created = await links.invite(request.params.id)
      // The link is the secret: it stays in the body, never in a header proxies log. Location names the customer invited.
      return reply.code(201).header('location', `/api/customers/${request.params.id}`).send(created)
    },
  )
}
