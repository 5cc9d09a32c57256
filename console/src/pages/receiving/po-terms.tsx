/** A PO's supplier and expected date, as creating and amending one both ask for them. */
export function PoTerms({
  supplier,
  expectedAt,
  onSupplier,
  onExpectedAt,
}: {
  supplier: string
  expectedAt: string
  onSupplier: (value: string) => void
  onExpectedAt: (value: string) => void
}) {
  return (
    <>
      <label>
        Supplier
        <input value={supplier} onInput={(e) => onSupplier((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        Expected on
        <input type="date" value={expectedAt} onInput={(e) => onExpectedAt((e.currentTarget as HTMLInputElement).value)} />
      </label>
    </>
  )
}
