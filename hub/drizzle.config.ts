import { defineConfig } from 'drizzle-kit'

// `generate` only reads the schema; applying migrations is `npm run migrate` (or hub start-up).
export default defineConfig({
  dialect: 'mysql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
})
