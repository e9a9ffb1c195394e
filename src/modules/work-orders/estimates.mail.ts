// The mail that carries an estimate's link to the customer, through the outbox (in the send's transaction:
// a refused or rolled-back send mails nothing). The token sits in the URL fragment, as the account links'.
import type { EstimateContent } from '../../kernel/estimate-hash.ts'
import { netOf } from '../../kernel/money.ts'
import type { MessageDraft } from '../messages/index.ts'

/** Cents as the shop's currency shows them in a plain-text mail (12345, EUR → "EUR 123.45"). */
function amount(cents: number, currency: string): string {
  return `${currency} ${(cents / 100).toFixed(2)}`
}

/** The estimate mail: what was found, what it costs, the link and how long it works. */
export function estimateMessage(input: {
  to: { id: number; email: string; name: string }
  shop: { name: string; currency: string }
  workOrder: { id: number; number: string }
  content: EstimateContent
  url: string
  expiresAt: Date
}): MessageDraft {
  const { to, shop, workOrder, content } = input
  const jobs = content.jobs.map((job) => `- ${job.title}: ${amount(netOf(job.lines), shop.currency)} before tax`)
  return {
    kind: 'estimate',
    to: to.email,
    subject: `${shop.name}: estimate for ${workOrder.number}${content.version > 1 ? ` (version ${content.version})` : ''}`,
    text:
      `Hello ${to.name},\n\n${shop.name} has an estimate for your vehicle (${workOrder.number}, version ${content.version}):\n\n` +
      `${jobs.join('\n')}\n\nTotal with tax: ${amount(content.totals.totalCents, shop.currency)}\n\n` +
      `Approve or decline each job here until ${input.expiresAt.toISOString().slice(0, 10)}:\n\n${input.url}\n\n` +
      'Nothing is done before you decide. You can also answer in your account, or call us.\n',
    related: { type: 'work_order', id: workOrder.id },
  }
}
