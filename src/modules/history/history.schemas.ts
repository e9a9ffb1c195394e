import { Type, type Static } from 'typebox'
import { WorkOrderStatusSchema } from '../work-orders/index.ts'

const Timestamp = Type.String({ format: 'date-time' })
const JobStatus = Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('declined')])

/** The invoice of a visit: null until the order is invoiced. */
const InvoiceRefSchema = Type.Object(
  { id: Type.Integer(), number: Type.String(), totalCents: Type.Integer() },
  { title: 'InvoiceRef', description: 'The invoice of the visit' },
)

/** One visit of the vehicle. */
const VisitSchema = Type.Object(
  {
    id: Type.Integer({ description: 'The work order' }),
    number: Type.String({ description: 'WO-000123' }),
    status: WorkOrderStatusSchema,
    openedAt: Type.String({ format: 'date-time', description: 'When the order was opened' }),
    completedAt: Type.Union([Timestamp, Type.Null()], { description: 'When the work was completed; null while open, or void' }),
    odometerIn: Type.Integer({ description: "The reading at drop-off, in the vehicle's unit" }),
    jobs: Type.Array(Type.Object({ title: Type.String(), status: JobStatus }), { description: 'In the order of the work order' }),
    invoice: Type.Union([InvoiceRefSchema, Type.Null()], { description: 'null until the order is invoiced' }),
  },
  { title: 'VehicleVisit' },
)

const RecommendationSchema = Type.Object(
  {
    workOrderId: Type.Integer(),
    jobId: Type.Integer(),
    title: Type.String(),
    netCents: Type.Integer({ description: "The job's net as offered, before tax" }),
    declinedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Recommendation', description: 'A job the customer declined: work still to offer' },
)

const InspectionEntrySchema = Type.Object(
  {
    workOrderId: Type.Integer(),
    number: Type.String({ description: "The work order's number" }),
    updatedAt: Timestamp,
    items: Type.Array(
      Type.Object({ name: Type.String(), result: Type.Union([Type.Literal('ok'), Type.Literal('attention'), Type.Literal('urgent')]), note: Type.Optional(Type.String()) }),
    ),
  },
  { title: 'VehicleInspection', description: 'The multipoint inspection of one visit' },
)

/** GET /api/vehicles/:id/history. */
export const VehicleHistorySchema = Type.Object(
  {
    workOrders: Type.Array(VisitSchema, { description: 'Newest first (by openedAt)' }),
    recommendations: Type.Array(RecommendationSchema, { description: 'Declined jobs, newest first (by declinedAt)' }),
    inspections: Type.Array(InspectionEntrySchema, { description: 'Newest first (by updatedAt)' }),
  },
  {
    title: 'VehicleHistory',
    examples: [
      {
        workOrders: [
          {
            id: 12,
            number: 'WO-000012',
            status: 'completed',
            openedAt: '2026-11-30T08:05:00.000Z',
            completedAt: '2026-11-30T15:40:00.000Z',
            odometerIn: 48_210,
            jobs: [
              { title: 'Front brake pads', status: 'approved' },
              { title: 'Wiper blades', status: 'declined' },
            ],
            invoice: null,
          },
        ],
        recommendations: [{ workOrderId: 12, jobId: 31, title: 'Wiper blades', netCents: 3_900, declinedAt: '2026-11-30T10:12:00.000Z' }],
        inspections: [{ workOrderId: 12, number: 'WO-000012', updatedAt: '2026-11-30T09:00:00.000Z', items: [{ name: 'Wiper blades', result: 'attention', note: 'Streaking' }] }],
      },
    ],
  },
)
export type VehicleHistory = Static<typeof VehicleHistorySchema>
