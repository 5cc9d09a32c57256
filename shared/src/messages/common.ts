import Type from 'typebox'

/** Identifiers that appear in MQTT topic levels: no wildcards, separators or control characters. */
export const IdentifierSchema = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' })

/** Location codes such as `A-01-03` or `DOCK.2`; a bounded, printable ASCII set. */
export const LocationCodeSchema = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_./-]{0,63}$' })

/** UUID (any version, v7 recommended) or ULID, both made on the device. */
export const EventIdSchema = Type.String({
  pattern: '^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26})$',
})

export const MAX_QTY = 1_000_000
