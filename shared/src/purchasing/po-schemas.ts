import Type, { type Static } from 'typebox'
import { IdentifierSchema, MAX_QTY } from '../messages/common.ts'
import { SkuSchema } from '../ordering/ordering-schemas.ts'

/** The purchase-order admin API: create, amend, renumber, close, cancel and delete POs. */

/** IdentifierSchema's shape, as a scanner's `poNumber` has it, so every PO made here can be received against. */
export const PoNumberSchema = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
  description: 'Unique across sites; what the receiving scans carry (payload poNumber or GS1 AI 400)',
  examples: ['PO-1000'],
})

/** Text people type (supplier names, reasons): no control, zero-width or bidi-override characters. */
const FreeText = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[^\\u0000-\\u001f\\u007f\\u200b-\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ufeff]*$' })

const Sku = SkuSchema
const Qty = Type.Integer({ minimum: 1, maximum: MAX_QTY, examples: [48] })
const ExpectedAt = Type.String({ format: 'date', description: 'Calendar date the goods are due, YYYY-MM-DD', examples: ['2026-03-02'] })
const Line = Type.Object({ sku: Sku, qty: Qty }, { additionalProperties: false })

export const MAX_PO_LINES = 500
export const PoStatuses = ['open', 'closed', 'cancelled'] as const

export const CreatePurchaseOrderSchema = Type.Object(
  {
    poNumber: PoNumberSchema,
    site: IdentifierSchema,
    supplier: Type.Optional(FreeText(200)),
    expectedAt: Type.Optional(ExpectedAt),
    /** One line per SKU: a SKU listed twice is refused (400), not summed. */
    lines: Type.Array(Line, { minItems: 1, maxItems: MAX_PO_LINES }),
  },
  { additionalProperties: false, examples: [{ poNumber: 'PO-1000', site: 'dc1', supplier: 'Acme', lines: [{ sku: 'SKU-01S', qty: 48 }] }] },
)

export const UpdatePurchaseOrderSchema = Type.Object(
  {
    supplier: Type.Optional(Type.Union([FreeText(200), Type.Literal('')])),
    /** null clears it. */
    expectedAt: Type.Optional(Type.Union([ExpectedAt, Type.Null()])),
    /** A SKU on the PO gets this ordered quantity (never below what was received); a new SKU is added. */
    lines: Type.Optional(Type.Array(Line, { minItems: 1, maxItems: MAX_PO_LINES })),
    /** Lines to drop; only a line nothing was received on. */
    removeSkus: Type.Optional(Type.Array(Sku, { minItems: 1, maxItems: MAX_PO_LINES })),
  },
  { additionalProperties: false, examples: [{ expectedAt: '2026-03-09', lines: [{ sku: 'SKU-01S', qty: 60 }], removeSkus: ['SKU-02M'] }] },
)

export const RenumberPurchaseOrderSchema = Type.Object(
  { newPoNumber: PoNumberSchema, reason: FreeText(500) },
  { additionalProperties: false, examples: [{ newPoNumber: 'PO-1000-A', reason: 'supplier reissued the order' }] },
)

/** Close, cancel and delete: why, if the person says. */
export const PurchaseOrderActionSchema = Type.Object({ reason: Type.Optional(FreeText(500)) }, { additionalProperties: false })

export const PurchaseOrderLineSchema = Type.Object({
  sku: Type.String(),
  ordered: Type.Integer(),
  received: Type.Integer(),
  remaining: Type.Integer(),
})

export const PurchaseOrderSchema = Type.Object({
  poNumber: Type.String(),
  site: Type.String(),
  supplier: Type.String(),
  status: Type.Enum(PoStatuses),
  expectedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  lines: Type.Array(PurchaseOrderLineSchema),
})

export const PurchaseOrderSummarySchema = Type.Object({
  poNumber: Type.String(),
  site: Type.String(),
  supplier: Type.String(),
  status: Type.Enum(PoStatuses),
  expectedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  lineCount: Type.Integer(),
  ordered: Type.Integer(),
  received: Type.Integer(),
})

export const PurchaseOrderQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Enum(PoStatuses)),
    site: Type.Optional(IdentifierSchema),
    /** Part of the PO number or supplier, any case, or a whole SKU on one of its lines. */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    after: Type.Optional(PoNumberSchema),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  },
  { additionalProperties: false },
)

export const PurchaseOrderPageSchema = Type.Object({
  items: Type.Array(PurchaseOrderSummarySchema),
  /** Pass as `after` for the next page (POs come in number order); null on the last. */
  next: Type.Union([Type.String(), Type.Null()]),
})

export const RenumberResultSchema = Type.Object({
  poNumber: Type.String(),
  previousPoNumber: Type.String(),
  /** Rows whose denormalized po_number was rewritten in the same transaction. */
  rewritten: Type.Object({ lots: Type.Integer(), movements: Type.Integer() }),
})

export type CreatePurchaseOrder = Static<typeof CreatePurchaseOrderSchema>
export type UpdatePurchaseOrder = Static<typeof UpdatePurchaseOrderSchema>
export type RenumberPurchaseOrder = Static<typeof RenumberPurchaseOrderSchema>
export type PurchaseOrder = Static<typeof PurchaseOrderSchema>
export type PurchaseOrderSummary = Static<typeof PurchaseOrderSummarySchema>
export type PurchaseOrderPage = Static<typeof PurchaseOrderPageSchema>
export type PurchaseOrderQuery = Static<typeof PurchaseOrderQuerySchema>
export type RenumberResult = Static<typeof RenumberResultSchema>
export type PoStatus = (typeof PoStatuses)[number]
