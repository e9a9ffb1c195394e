/* The messages module's public face: the mail outbox other modules enqueue into, and GET /api/messages. */
import { NO_CACHE } from '../../platform/cache/cache-declaration.ts'
import { defineAccess } from '../../platform/http/access.ts'
import { defineModule } from '../../platform/registry/module-definition.ts'
import { MESSAGE_PERMISSIONS } from './messages.policy.ts'
import { messagesAccess } from './messages.access.ts'
import { messagesRoutes } from './messages.routes.ts'
import { messages } from './messages.table.ts'
import { outboxPlugin } from './outbox.plugin.ts'

export { messages } from './messages.table.ts'
export type { Outbox } from './outbox.plugin.ts'
export type { MessageDraft } from './messages.repository.ts'
export { redactTokens } from './messages.schemas.ts'

/** The mail outbox (queued in the writer's transaction, sent by a worker) and the staff's view of it. */
export const messagesModule = defineModule({
  name: 'messages',
  plugins: [outboxPlugin],
  apiTags: [{ name: 'messages', description: 'The mail outbox: what was sent, is queued, failed, or (without SMTP_URL) only recorded' }],
  routes: [{ prefix: '/api/messages', plugin: messagesRoutes }],
  tables: { messages },
  // Messages are never cached: GET /api/messages reads the database.
  cache: NO_CACHE,
  permissions: MESSAGE_PERMISSIONS,
  access: defineAccess({ rows: messagesAccess }),
  errors: {},
})
