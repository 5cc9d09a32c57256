import type { ComponentChildren } from 'preact'
import { useRef, useState } from 'preact/hooks'
import { CameraDialog } from '../input/camera/camera-dialog.tsx'
import { useWedge } from '../input/use-wedge.ts'
import { OutcomeList } from '../outcomes/outcome-list.tsx'
import { useFloor } from '../session/floor-context.ts'
import { ScanField } from './scan-field.tsx'

export interface Fact {
  label: string
  value: string | undefined
  /** The test id of the value, e.g. `location`. */
  testId: string
}

/**
 * A workflow screen: its title, what to scan next, where the picker is (location, item…), the
 * scan field, the quantity and other fields, the actions along the bottom within a thumb's
 * reach (camera, record, home), then the lists (a PO's lines, an order's picks) and the last
 * outcomes. Scans from the scan field, a wedge scanner and the camera all go to `onScan`.
 */
export function WorkflowFrame({
  title,
  prompt,
  facts,
  onScan,
  fields,
  problem,
  actions,
  children,
}: {
  title: string
  prompt: string
  facts: readonly Fact[]
  onScan: (text: string) => unknown
  fields?: ComponentChildren
  problem?: string
  actions?: ComponentChildren
  children?: ComponentChildren
}) {
  const { state, go } = useFloor()
  const [camera, setCamera] = useState(false)
  const take = useScanQueue(onScan)
  useWedge((text) => {
    setCamera(false)
    take(text)
  })
  return (
    <section class="workflow" aria-labelledby="workflow-title">
      <h1 id="workflow-title">{title}</h1>
      <p class="prompt" id="prompt" aria-live="polite">
        {prompt}
      </p>
      <dl class="facts">
        {facts.map((f) => (
          <div key={f.testId} class={f.value ? 'set' : 'unset'}>
            <dt>{f.label}</dt>
            <dd data-testid={f.testId}>{f.value ?? '—'}</dd>
          </div>
        ))}
      </dl>
      {problem && (
        <p role="alert" class="problem" data-testid="problem">
          {problem}
        </p>
      )}
      <ScanField label={prompt} onScan={take} focusKey={prompt} />
      {fields}
      <div class="action-bar">
        <button type="button" id="camera" class="secondary" onClick={() => setCamera(true)}>
          Camera
        </button>
        {actions}
        <button type="button" class="secondary" id="home" onClick={() => go('home')}>
          Home
        </button>
      </div>
      {children}
      <OutcomeList outcomes={state.outcomes} />
      {camera && (
        <CameraDialog
          title={prompt}
          onClose={() => setCamera(false)}
          onScan={(text) => {
            setCamera(false)
            take(text)
          }}
        />
      )}
    </section>
  )
}

/**
 * Takes scans one after another: each waits for the one before it to be handled (stored in the
 * outbox) and the screen to show it, so a location scanned right before an item is the item's
 * location, however fast a scanner sends them.
 */
function useScanQueue(onScan: (text: string) => unknown): (text: string) => void {
  const latest = useRef(onScan)
  latest.current = onScan
  const queue = useRef(Promise.resolve())
  return (text) => {
    queue.current = queue.current
      .then(async () => {
        await latest.current(text)
        // A macrotask: Preact has rendered the new state, so `latest` is its handler.
        await new Promise((resolve) => setTimeout(resolve))
      })
      // A handler shows its own problems; one that throws must not stop the scans after it.
      .catch(() => undefined)
  }
}
