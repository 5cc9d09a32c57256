/**
 * A preValidation hook for routes whose body is optional: a request sent without one is taken as
 * `{}`, so the body schema stays one object that refuses unknown members (a union with null
 * would report every field twice).
 */
export async function emptyBodyAsObject(request: { body: unknown }) {
  // Only an absent body: a JSON `null` is a body, and not an object.
  if (request.body === undefined) request.body = {}
}
