/**
 * Every code the hub refuses with, over HTTP or in a device's ack: its HTTP status and a title in
 * plain words. One table, so the hub, the devices, the ordering client and the dashboard agree on
 * codes (pattern: fastify's createError table). A code is never renamed: clients switch on it.
 * Pure data, no imports: the dashboard bundles it.
 */
export const ErrorCodes = {
  // The request itself
  VALIDATION_FAILED: { status: 400, title: 'The request does not match its schema' },
  MALFORMED_JSON: { status: 400, title: 'The message is not valid JSON' },
  BAD_REQUEST: { status: 400, title: 'The request cannot be read' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No route has this method and path' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'This method is not allowed here' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The message is larger than the hub accepts' },
  URI_TOO_LONG: { status: 414, title: 'A part of the path is longer than the hub accepts' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The body is not in a content type this route takes' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  // API keys
  UNAUTHENTICATED: { status: 401, title: 'Sign in, or present a valid API key (Authorization: Bearer <key>)' },
  FORBIDDEN_ROLE: { status: 403, title: "This API key's or person's role may not do this" },
  FORBIDDEN_SITE: { status: 403, title: 'This API key or person is not allowed for this site' },
  SITE_REQUIRED: { status: 400, title: 'Name the site (`site`): this API key may read more than one' },
  API_KEY_NOT_FOUND: { status: 404, title: 'No API key has this id or prefix' },
  ADMIN_KEY_SCOPED: { status: 422, title: 'An admin key cannot be limited to sites' },
  // Floor screens paired from the console
  PAIRING_NOT_FOUND: { status: 404, title: 'No screen is waiting with this pairing code (mistyped or expired)' },
  PAIRING_TAKEN: { status: 409, title: 'The screen showing this code is already paired' },
  SCREEN_NOT_FOUND: { status: 404, title: 'No paired screen has this id' },
  // People and their sessions
  SIGNIN_FAILED: { status: 401, title: 'The username or password is wrong, or the account is disabled' },
  SIGNIN_THROTTLED: { status: 429, title: 'Too many failed sign-ins; wait before trying again' },
  CSRF_INVALID: { status: 403, title: 'The request lacks the CSRF token of its session (x-csrf-token)' },
  PASSWORD_WRONG: { status: 403, title: 'The current password is wrong' },
  PASSWORD_TOO_SHORT: { status: 422, title: 'A password needs at least 12 characters' },
  USER_NOT_FOUND: { status: 404, title: 'No person has this username' },
  USERNAME_TAKEN: { status: 409, title: 'Another person has this username' },
  LAST_ADMIN: { status: 409, title: 'The last active admin cannot be disabled or lose the admin role' },
  // The hub itself: the text of a 5xx is never sent
  INTERNAL_ERROR: { status: 500, title: 'Internal Server Error' },
  DB_UNAVAILABLE: { status: 503, title: 'The database is not answering; retry shortly' },
  SHUTTING_DOWN: { status: 503, title: 'This hub instance is shutting down; retry shortly' },
  // Resources
  NOT_FOUND: { status: 404, title: 'Not found' },
  HELD_DECIDED: { status: 409, title: 'The held event has already been decided' },
  HELD_STILL_UNAPPLIABLE: { status: 409, title: 'The held event still cannot be applied as approved' },
  HELD_LISTED_TWICE: { status: 400, title: 'A held event can be decided once in one request' },
  AT_IN_FUTURE: { status: 400, title: 'Stock as of a time can only be asked for the past' },
  MOVEMENT_IS_VOID: { status: 409, title: 'A void cannot be voided' },
  MOVEMENT_NOT_VOIDABLE: { status: 409, title: 'This kind of movement cannot be voided' },
  MOVEMENT_ALREADY_VOIDED: { status: 409, title: 'The movement is already voided' },
  INSUFFICIENT_STOCK: { status: 409, title: 'Not enough available stock' },
  LOT_SHORT: { status: 409, title: 'The named lot does not hold that much at the location' },
  // Office adjustments
  ADJUSTMENT_QTY: { status: 400, title: 'A quantity to set cannot be negative, and a change cannot be zero' },
  EXPIRY_INVALID: { status: 400, title: 'The expiry is not a date of the calendar' },
  ADJUSTMENT_ID_REUSED: { status: 409, title: 'This adjustment id was used for a different adjustment' },
  // Orders
  UNKNOWN_SKU: { status: 422, title: 'Unknown SKU' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'This Idempotency-Key was used with a different request' },
  IDEMPOTENCY_IN_FLIGHT: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  ORDER_PENDING: { status: 409, title: 'The order is pending' },
  ORDER_CONFIRMED: { status: 409, title: 'The order is already confirmed' },
  ORDER_CANCELLED: { status: 409, title: 'The order is cancelled' },
  ORDER_EXPIRED: { status: 409, title: 'The order expired' },
  // Purchase orders
  PO_NOT_FOUND: { status: 404, title: 'No purchase order has this number' },
  DUPLICATE_SKU: { status: 400, title: 'A SKU may appear on one line only' },
  NOTHING_TO_CHANGE: { status: 400, title: 'The request changes nothing' },
  SAME_PO_NUMBER: { status: 400, title: 'The new PO number is the current one' },
  PO_NUMBER_TAKEN: { status: 409, title: 'The PO number is already in use' },
  PO_NOT_OPEN: { status: 409, title: 'The purchase order is closed or cancelled' },
  PO_HAS_RECEIPTS: { status: 409, title: 'Stock was received against this purchase order' },
  QTY_BELOW_RECEIVED: { status: 409, title: 'A line cannot be ordered below what was received on it' },
  LINE_HAS_RECEIPTS: { status: 409, title: 'A line that stock was received on cannot be removed' },
  PO_NEEDS_A_LINE: { status: 409, title: 'A purchase order keeps at least one line' },
  TOO_MANY_LINES: { status: 422, title: 'A purchase order has at most 500 lines' },
  UNKNOWN_SITE: { status: 422, title: 'No such active site in the catalog' },
  NOT_ON_PO: { status: 422, title: 'The product is not on the purchase order' },
  // Imports
  IMPORT_REFUSED: { status: 422, title: 'The import has problems (listed by line and column); nothing was written' },
  INBOX_LOST: { status: 503, title: 'The partition inboxes lost queued rows; apply the file again (it is safe)' },
  // Devices
  DEVICE_NOT_FOUND: { status: 404, title: 'No device has this id' },
  DEVICE_EXISTS: { status: 409, title: 'A device with this id is already registered (rotate its secret instead)' },
  // Catalog: sites, locations, products
  SITE_NOT_FOUND: { status: 404, title: 'No site has this code' },
  LOCATION_NOT_FOUND: { status: 404, title: 'No location has this code at the site' },
  PRODUCT_NOT_FOUND: { status: 404, title: 'No product has this SKU' },
  SITE_EXISTS: { status: 409, title: 'A site with this code already exists' },
  LOCATION_EXISTS: { status: 409, title: 'A location with this code already exists at the site' },
  SKU_TAKEN: { status: 409, title: 'Another product has this SKU' },
  GTIN_TAKEN: { status: 409, title: 'The GTIN belongs to another product' },
  SITE_INACTIVE: { status: 409, title: 'The site is deactivated' },
  IN_USE: { status: 409, title: 'Still referenced, so it cannot be deleted (deactivate it instead)' },
  // Webhook subscriptions
  WEBHOOK_NOT_FOUND: { status: 404, title: 'No webhook subscription has this id' },
  WEBHOOK_URL_INVALID: { status: 422, title: 'The webhook URL must be an absolute http(s) URL without a user or password' },
  WEBHOOK_DELETED: { status: 409, title: 'The webhook subscription is deleted' },
  REPLAY_TOO_LARGE: { status: 422, title: 'A replay copies at most 10,000 messages; ask for a smaller range' },
  // Scans, answered in a device's ack (the status says what the same refusal would be over HTTP)
  INVALID_EVENT: { status: 400, title: 'The event does not match the scan event schema' },
  UNKNOWN_DEVICE: { status: 401, title: 'The device is not registered' },
  DEVICE_DISABLED: { status: 403, title: 'The device is disabled' },
  DEVICE_MISMATCH: { status: 403, title: 'The payload deviceId does not match the topic' },
  WRONG_SITE: { status: 403, title: 'The device or location belongs to another site' },
  BAD_SIGNATURE: { status: 401, title: "The event is not signed with the device's current secret" },
  BAD_BARCODE: { status: 422, title: 'The barcode cannot be decoded' },
  QTY_MISMATCH: { status: 422, title: 'The payload qty disagrees with the GS1 count (AI 37)' },
  UNKNOWN_BARCODE: { status: 422, title: 'No product has this barcode' },
  UNKNOWN_LOCATION: { status: 422, title: 'No location has this code at the device site' },
  PRODUCT_INACTIVE: { status: 422, title: 'The product is deactivated' },
  LOCATION_INACTIVE: { status: 422, title: 'The location or its site is deactivated' },
  CONFLICT: { status: 409, title: 'This eventId was already used with a different payload' },
  UNKNOWN_PO: { status: 422, title: 'No purchase order has this number at the device site' },
  OVER_RECEIPT: { status: 409, title: 'The receipt would exceed the quantity ordered' },
  QTY_OUT_OF_RANGE: { status: 422, title: 'The stock would pass the largest quantity the hub can record' },
  APPLY_FAILED: { status: 409, title: 'The hub could not apply the event and set it aside for an admin' },
  HELD_REJECTED: { status: 409, title: 'An admin rejected the held event' },
  // Handhelds reading the hub with signed requests (Authorization: WH-Device …)
  STALE_REQUEST: { status: 401, title: "The signed request's time is more than 5 minutes from the hub's clock" },
} as const satisfies Record<string, { status: number; title: string }>

export type ErrorCode = keyof typeof ErrorCodes

export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(ErrorCodes, code)

/** The problem type URI of a code (RFC 9457 §3.1.1 suggests a tag URI for types nobody dereferences). */
export const problemType = (code: ErrorCode) => `tag:warehouse-hub,2026:problem:${code}`
