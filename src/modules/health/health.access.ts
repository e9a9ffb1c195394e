import type { AccessRows } from '../../platform/http/access.ts'

const everyone = { anonymous: 200, customerA: 200, customerB: 200, assignedMechanic: 200, mechanic: 200, advisor: 200, admin: 200 } as const

/** Probes are public: every actor, signed in or not, gets 200; so is /metrics while METRICS_TOKEN is unset (as in tests). */
export const healthAccess: AccessRows = {
  'GET /healthz': { expected: everyone, request: () => ({ url: '/healthz' }) },
  'GET /readyz': { expected: everyone, request: () => ({ url: '/readyz' }) },
  'GET /metrics': { expected: everyone, request: () => ({ url: '/metrics' }) },
}
