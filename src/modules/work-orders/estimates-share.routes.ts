import type { FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { createDbRateLimiter } from '../../platform/auth/db-rate-limiter.ts'
import { PlatformErrors } from '../../platform/http/platform.errors.ts'
import { created, errors, success } from '../../platform/http/responses.ts'
import { createShareService } from './estimates-share.service.ts'
import { SharedEstimateSchema, ShareDecisionsBody, TokenParams } from './estimates.schemas.ts'
import { workOrderServices } from './work-orders.deps.ts'
import { WorkOrderErrors } from './work-orders.errors.ts'

const TAGS = ['work-orders']
const LINK_ERRORS = {
  404: [WorkOrderErrors.ESTIMATE_LINK_NOT_FOUND],
  410: [WorkOrderErrors.ESTIMATE_LINK_EXPIRED],
  429: [{ ...PlatformErrors.RATE_LIMITED, description: 'Too many estimate-link requests from this address' }],
}

/** GET /api/estimates/:token and POST /api/estimates/:token/decisions: public, the link is the credential. */
export async function estimatesShareRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { deps } = workOrderServices(app)
  // Counted in PostgreSQL, as the account links are: Redis eviction cannot reset them (decision 007).
  const share = createShareService({ ...deps, publicUrl: app.config.mail.publicUrl, limiter: createDbRateLimiter(app.database.db) })

  app.get(
    '/:token',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        operationId: 'getSharedEstimate',
        summary: 'See an estimate through its link',
        description:
          'Anyone with the link (`shareUrl` of POST /api/work-orders/:id/estimates) sees the latest estimate of its order, with each ' +
          'job\'s decision so far. An unknown token is 404, one older than 7 days 410. Limited per client address. Not cached.',
        security: [],
        params: TokenParams,
        response: { 200: success('The estimate', SharedEstimateSchema), ...errors(LINK_ERRORS) },
      },
    },
    async (request) => share.view(request.params.token, request.ip),
  )

  app.post(
    '/:token/decisions',
    {
      config: { public: true },
      schema: {
        tags: TAGS,
        operationId: 'decideSharedEstimate',
        summary: 'Approve or decline jobs through the estimate link',
        description:
          'As POST /api/work-orders/:id/decisions, method share_link, in the name given (no user). The same checks: the latest ' +
          'estimate\'s hash and unchanged content (409 ECAR_ERR_ESTIMATE_CHANGED), jobs on it and undecided; a refusal records nothing.',
        security: [],
        params: TokenParams,
        body: ShareDecisionsBody,
        response: {
          201: created('The estimate with the decisions', SharedEstimateSchema),
          ...errors({
            ...LINK_ERRORS,
            409: [WorkOrderErrors.ESTIMATE_CHANGED, WorkOrderErrors.JOB_NOT_ON_ESTIMATE, WorkOrderErrors.JOB_ALREADY_DECIDED, WorkOrderErrors.WORK_ORDER_CLOSED],
          }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await share.decide(request.params.token, request.ip, request.body)),
  )
}
