import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'

/** `{ authorization: 'Bearer …' }` for a session token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` }
}

/** `app.inject` as a user (anything with a bearer `auth`: a TestUser, a cast member) or anonymously, with a JSON payload. */
export function caller(app: FastifyInstance) {
  return (user: { auth: { authorization: string } } | undefined, method: InjectOptions['method'], url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, ...(user ? { headers: user.auth } : {}), ...(payload === undefined ? {} : { payload: payload as object }) })
}

/** The distinct `field`s of a 400 problem's errors, sorted (one field can break several rules). */
export function errorFields(res: LightMyRequestResponse): string[] {
  const body = res.json() as { errors?: { field: string }[] }
  return [...new Set((body.errors ?? []).map((e) => e.field))].sort()
}

/** A problem+json answer as `{ status, code }`: the HTTP status and the body's ECAR_ERR_… code (undefined when the body has none). */
export function problemOf(res: LightMyRequestResponse): { status: number; code: string | undefined } {
  const body = res.json() as { code?: unknown }
  return { status: res.statusCode, code: typeof body.code === 'string' ? body.code : undefined }
}

/** The ids of a page's `items` (`{ items: [{ id }], … }`), in the order served. */
export function itemIds(res: LightMyRequestResponse): number[] {
  return (res.json() as { items: { id: number }[] }).items.map((item) => item.id)
}
