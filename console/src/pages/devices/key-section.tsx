import { useState } from 'preact/hooks'
import type { ApiKeyInfo, IssuedApiKey } from '@wh/shared'
import { api } from '../../api.ts'
import { DataTable, ProblemNote, Time, type Column } from '../../components.tsx'
import { useLoad } from '../../load.ts'
import { CreateKey } from './create-key.tsx'
import { ShownOnce } from './shown-once.tsx'
import { revokeColumns } from './revoke-columns.tsx'
import { useAction } from '../../action.ts'

/** API keys of programs (the ordering site, scrapers, metrics): create (the key shown once) and revoke. Screens' keys are listed with the screens. */
export function KeySection() {
  const keys = useLoad(() => api<{ keys: ApiKeyInfo[] }>('GET', '/api/keys'), [], { topics: ['keys'] })
  const [issued, setIssued] = useState<IssuedApiKey>()
  const action = useAction()

  const columns: Column<ApiKeyInfo>[] = [
    { label: 'Name', cell: (k) => k.name },
    { label: 'Role', cell: (k) => k.role },
    { label: 'Sites', cell: (k) => k.sites?.join(', ') ?? 'every site' },
    { label: 'Prefix', cell: (k) => <code>{k.prefix}</code> },
    { label: 'Created', cell: (k) => <Time at={k.createdAt} /> },
    ...revokeColumns<ApiKeyInfo>({
      action,
      label: (k) => `Revoke key ${k.name}`,
      question: (k) => `Revoke ${k.name}? Programs using it are refused within seconds.`,
      path: (k) => `/api/keys/${k.id}`,
      reload: keys.reload,
    }),
  ]

  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      {issued && <ShownOnce title={`New key ${issued.info.name}`} label="API key" value={issued.key} onDone={() => setIssued(undefined)} />}
      <CreateKey
        onIssued={(next) => {
          setIssued(next)
          keys.reload()
        }}
      />
      <ProblemNote error={keys.error || action.error} />
      <DataTable
        rows={(keys.data?.keys ?? []).filter((k) => k.kind === 'api')}
        columns={columns}
        rowKey={(k) => k.id}
        empty="No API keys yet."
      />
    </section>
  )
}
