/**
 * The partition a product's events go to. Stable for a given partition count, and mixed
 * (Knuth's multiplicative hash) so consecutive product ids spread over the partitions.
 */
export function partitionOf(productId: number, partitions: number): number {
  return Number((BigInt(productId) * 2654435761n) % 4294967296n) % partitions
}
