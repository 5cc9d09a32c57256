/** A LIKE pattern matching `text` anywhere in a lower-cased column, LIKE's own wildcards in it taken literally. */
export const containing = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
