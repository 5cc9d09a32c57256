import { useState } from 'preact/hooks'
import { useLocation } from 'preact-iso'
import { Page } from '../components.tsx'
import { may, useSession } from '../session.tsx'
import { PoCreate } from './receiving/po-create.tsx'
import { PoDetail } from './receiving/po-detail.tsx'
import { PoList } from './receiving/po-list.tsx'

/** The PO shown is in the address (`?po=`), so it can be linked to and the back button closes it. */
const poHref = (poNumber?: string) => `/console/receiving${poNumber ? `?po=${encodeURIComponent(poNumber)}` : ''}`

/**
 * Purchase orders of the chosen site: the list, one PO with each line's progress as scanners
 * receive, and for supervisors creating, amending, closing, cancelling and renumbering them.
 */
export function Receiving() {
  const { person, site } = useSession()
  const { query, route } = useLocation()
  const [creating, setCreating] = useState(false)
  // What the last change did, shown while its PO is open.
  const [notice, setNotice] = useState({ po: '', text: '' })
  const canChange = may(person, 'supervisor')
  const open = (poNumber: string, text: string) => {
    setNotice({ po: poNumber, text })
    route(poHref(poNumber))
  }

  return (
    <Page
      title="Receiving"
      actions={
        canChange &&
        !creating && (
          <button type="button" onClick={() => setCreating(true)}>
            New purchase order
          </button>
        )
      }
    >
      {creating && (
        <PoCreate
          site={site}
          onCreated={(po) => {
            setCreating(false)
            open(po.poNumber, `${po.poNumber} created.`)
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      <p role="status">{notice.po === query.po && notice.text}</p>
      <div class="record-layout">
        <PoList site={site} selected={query.po} href={poHref} />
        {query.po && (
          <PoDetail
            key={query.po}
            poNumber={query.po}
            canChange={canChange}
            onRenumbered={(r) =>
              open(
                r.poNumber,
                `${r.previousPoNumber} is now ${r.poNumber}: ${r.rewritten.lots} lots and ${r.rewritten.movements} ledger rows carry the new number.`,
              )
            }
          />
        )}
      </div>
    </Page>
  )
}
