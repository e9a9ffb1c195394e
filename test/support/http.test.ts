import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, caller, errorFields, itemIds, problemOf } from './http.ts'

describe('test support: HTTP helpers', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = Fastify()
    app.all('/echo', async (req) => ({ method: req.method, authorization: req.headers.authorization ?? null, body: req.body ?? null }))
    app.get('/problem', async (_req, reply) => reply.code(409).type('application/problem+json').send({ status: 409, code: 'ECAR_ERR_DUPLICATE_VIN' }))
    app.get('/bare', async (_req, reply) => reply.code(500).send({ message: 'no code' }))
    app.get('/invalid', async (_req, reply) =>
      reply.code(400).send({ errors: [{ field: 'body.year' }, { field: 'body.vin' }, { field: 'body.year' }] }),
    )
    app.get('/page', async () => ({ items: [{ id: 3 }, { id: 1 }, { id: 2 }], nextCursor: null }))
    await app.ready()
  })
  afterAll(async () => app?.close())

  it('caller sends the bearer header and JSON payload, or neither', async () => {
    const call = caller(app)
    const signed = await call({ auth: bearer('tok') }, 'PATCH', '/echo', { color: 'Red' })
    expect(signed.json()).toEqual({ method: 'PATCH', authorization: 'Bearer tok', body: { color: 'Red' } })
    const anonymous = await call(undefined, 'GET', '/echo')
    expect(anonymous.json()).toEqual({ method: 'GET', authorization: null, body: null })
  })

  it('problemOf gives status and code, code undefined when the body has none', async () => {
    const call = caller(app)
    expect(problemOf(await call(undefined, 'GET', '/problem'))).toEqual({ status: 409, code: 'ECAR_ERR_DUPLICATE_VIN' })
    expect(problemOf(await call(undefined, 'GET', '/bare'))).toEqual({ status: 500, code: undefined })
  })

  it('errorFields lists each field once, sorted; an answer without errors has none', async () => {
    const call = caller(app)
    expect(errorFields(await call(undefined, 'GET', '/invalid'))).toEqual(['body.vin', 'body.year'])
    expect(errorFields(await call(undefined, 'GET', '/bare'))).toEqual([])
  })

  it('itemIds keeps the order served', async () => {
    expect(itemIds(await caller(app)(undefined, 'GET', '/page'))).toEqual([3, 1, 2])
  })
})
