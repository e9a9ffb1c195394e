/* The audit module: the append-only log every audited write adds its row to, and GET /api/audit. */
import { NO_CACHE } from '../../platform/cache/cache-declaration.ts'
import { definePermissions } from '../../platform/auth/permissions.ts'
import { defineAccess } from '../../platform/http/access.ts'
import { defineModule } from '../../platform/registry/module-definition.ts'
import { auditRows } from './audit.access.ts'
import { auditRoutes } from './audit.routes.ts'
import { auditLog } from './audit.table.ts'

export { changesBetween, recordAudit, type AuditEntry } from './audit.repository.ts'

/** The audit log. */
export const auditModule = defineModule({
  name: 'audit',
  apiTags: [{ name: 'audit', description: 'The audit log of the workshop\'s writes' }],
  routes: [{ prefix: '/api/audit', plugin: auditRoutes }],
  tables: { auditLog },
  // Not cached: read rarely, and every audited write would touch it.
  cache: NO_CACHE,
  permissions: definePermissions({ 'audit:read': { advisor: 'any', admin: 'any' } } as const),
  access: defineAccess({ rows: auditRows }),
  errors: {},
})
