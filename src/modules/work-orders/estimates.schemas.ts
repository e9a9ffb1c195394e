import { Type, type Static } from 'typebox'
import { TEXT_KEYWORD } from '../../platform/http/validation.ts'
import { TotalsSchema } from './work-orders.schemas.ts'

const Timestamp = Type.String({ format: 'date-time' })
const Hash = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'The estimate\'s hash (SHA-256, lowercase hex) the customer saw' })
const id = () => Type.Integer({ minimum: 1, maximum: 2_147_483_647 })
const DecisionValue = Type.Union([Type.Literal('approved'), Type.Literal('declined')])
const Method = Type.Union([Type.Literal('portal'), Type.Literal('share_link'), Type.Literal('phone'), Type.Literal('in_person')])

/** A line as the estimate shows it (the canonical content's fields). */
const EstimateLineSchema = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.Union([Type.Literal('labour'), Type.Literal('part'), Type.Literal('fee')]),
    description: Type.String(),
    quantity: Type.Number(),
    unitPriceCents: Type.Integer(),
    discountCents: Type.Integer(),
    amountCents: Type.Integer(),
    netCents: Type.Integer(),
  },
  { title: 'EstimateLine' },
)

/** A job as the estimate shows it. */
const EstimateJobSchema = Type.Object(
  { id: Type.Integer(), title: Type.String(), concern: Type.Union([Type.String(), Type.Null()]), lines: Type.Array(EstimateLineSchema) },
  { title: 'EstimateJob' },
)

/** A sent estimate, as the desk gets it back from POST …/estimates. */
export const SentEstimateSchema = Type.Object(
  {
    version: Type.Integer(),
    hash: Type.String(),
    sentAt: Timestamp,
    jobs: Type.Array(EstimateJobSchema),
    totals: TotalsSchema,
    shareUrl: Type.String({ description: 'The link for the customer without an account: `<PUBLIC_URL>/estimate#token=…`' }),
    expiresAt: Timestamp,
    mailedTo: Type.Union([Type.String(), Type.Null()], {
      description: "The customer's address the link was mailed to (through the outbox, GET /api/messages); null for a deactivated account",
    }),
  },
  { title: 'SentEstimate' },
)
export type SentEstimate = Static<typeof SentEstimateSchema>

/** An estimate as the share link shows it. */
export const SharedEstimateSchema = Type.Object(
  {
    workOrderNumber: Type.String(),
    version: Type.Integer(),
    hash: Type.String(),
    sentAt: Timestamp,
    expiresAt: Timestamp,
    jobs: Type.Array(Type.Object({ ...EstimateJobSchema.properties, decision: Type.Union([DecisionValue, Type.Null()]) })),
    totals: TotalsSchema,
  },
  { title: 'SharedEstimate' },
)
export type SharedEstimate = Static<typeof SharedEstimateSchema>

const Decisions = Type.Array(Type.Object({ jobId: id(), decision: DecisionValue }, { additionalProperties: false }), { minItems: 1, maxItems: 100 })

/** POST /api/work-orders/:id/decisions. */
export const DecisionsBody = Type.Object(
  {
    estimateHash: Hash,
    decisions: Decisions,
    method: Type.Optional(
      Type.Union([Type.Literal('portal'), Type.Literal('phone'), Type.Literal('in_person')], { description: 'portal (the owner; the default for them), phone or in_person (staff: required)' }),
    ),
  },
  { additionalProperties: false },
)
export type DecisionsInput = Static<typeof DecisionsBody>

/** POST /api/estimates/:token/decisions. */
export const ShareDecisionsBody = Type.Object(
  {
    estimateHash: Hash,
    name: Type.String({ minLength: 1, maxLength: 200, [TEXT_KEYWORD]: true, description: 'Who decides, as they sign' }),
    decisions: Decisions,
  },
  { additionalProperties: false },
)
export type ShareDecisionsInput = Static<typeof ShareDecisionsBody>

/** One recorded decision. */
export const ApprovalSchema = Type.Object(
  {
    jobId: Type.Integer(),
    decision: DecisionValue,
    method: Method,
    byUserId: Type.Union([Type.Integer(), Type.Null()]),
    byName: Type.String(),
    at: Timestamp,
    estimateVersion: Type.Integer(),
    estimateHash: Type.String(),
  },
  { title: 'Approval' },
)
export type Approval = Static<typeof ApprovalSchema>

/** `{ items }` of GET …/approvals: every decision, oldest first (never paginated: one per job). */
export const ApprovalList = Type.Object({ items: Type.Array(ApprovalSchema) }, { title: 'ApprovalList' })

/** The share link's token in the path. */
export const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'The share link\'s token' }) })
