import { OutcomeList } from '../outcomes/outcome-list.tsx'
import { useFloor } from '../session/floor-context.ts'
import type { Workflow } from '../session/route.ts'

const CHOICES: { workflow: Workflow; label: string; hint: string }[] = [
  { workflow: 'receive', label: 'Receive', hint: 'Goods in, against a PO or without' },
  { workflow: 'move', label: 'Move / put away', hint: 'From a location to another' },
  { workflow: 'pick', label: 'Pick', hint: 'The lines of an order' },
  { workflow: 'count', label: 'Count', hint: 'What is at a location' },
  { workflow: 'adjust', label: 'Adjust', hint: 'Change stock, with a reason' },
]

/** The workflows, one big button each, and the last outcomes. */
export function HomeScreen() {
  const { state, go } = useFloor()
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">What are you doing?</h1>
      <ul class="workflows">
        {CHOICES.map((c) => (
          <li key={c.workflow}>
            <button type="button" class="choice" data-workflow={c.workflow} onClick={() => go(c.workflow)}>
              <strong>{c.label}</strong>
              <span>{c.hint}</span>
            </button>
          </li>
        ))}
      </ul>
      <OutcomeList outcomes={state.outcomes} />
    </section>
  )
}
