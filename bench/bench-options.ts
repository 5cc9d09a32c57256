import { commandLine, wholeNumber } from '@wh/shared/cli'

const STAGES = ['ordering', 'webhooks', 'reconcile', 'import'] as const

const USAGE = `npm run bench [-- options]

  --quick             one short repetition (2 s warm-up, 4 s measured); writes quick-* results
  --partitions N      the hub's partitions (default 4)
  --only STAGE        one stage alone, its figures in bench/results/<stage>-latest.json:
                        ordering   (g) stock checks, closed and open loop, and (h) reservations
                        webhooks   1,000 stock changes/s fanned out to 10 webhook endpoints
                        reconcile  full and incremental reconciliation
                        import     the import of 100,000 products and 1,000,000 stock rows
  --help              this text
`

/** The bench's options, checked whole: `--help` and a usage error end the process here. */
export function benchOptions() {
  const { values, fail } = commandLine(USAGE, {
    quick: { type: 'boolean', default: false },
    partitions: { type: 'string', default: '4' },
    only: { type: 'string' },
  })
  const only =
    values.only === undefined
      ? undefined
      : (STAGES.find((s) => s === values.only) ?? fail(`--only: unknown stage ${values.only} (known: ${STAGES.join(', ')})`))
  return { quick: values.quick, partitions: wholeNumber(fail, 'partitions', values.partitions, 1), only }
}
