// What a browser bundles: the code table and reading a problem, without the TypeBox schemas.
export * from './error-codes.ts'
export * from './problem-details.ts'
