import { decodeBarcode } from '@wh/shared'

/** The lot and expiry a GS1 label carries, to send with a receipt (none for a plain barcode). */
export function labelLot(text: string): { lot?: string; expiry?: string } {
  const decoded = decodeBarcode(text)
  if (!decoded.ok) return {}
  const { lot, expiry } = decoded.value
  return { ...(lot && { lot }), ...(expiry && { expiry }) }
}

/** Whether a scanned text names the product of a line (by one of its GTINs or its SKU). */
export function namesProduct(text: string, line: { sku: string; gtins: readonly string[] }): boolean {
  const decoded = decodeBarcode(text)
  if (!decoded.ok) return text === line.sku
  const { gtin, contentGtin, sku } = decoded.value
  const wanted = gtin ?? contentGtin
  return sku === line.sku || (!!wanted && line.gtins.some((g) => g.padStart(14, '0') === wanted))
}
