import { describe, expect, it } from 'vitest'
import { createWedgeDetector, type WedgeStep } from '../../handheld/src/input/wedge.ts'

/** Feeds `text` then Enter, one key every `gap` ms from `start`; returns every step. */
function type(detector = createWedgeDetector(), text: string, gap: number, start = 1000): WedgeStep[] {
  const keys = [...text, 'Enter']
  return keys.map((key, i) => detector.key(key, start + i * gap))
}

describe('keyboard-wedge detector', () => {
  it('takes a burst of keys ending in Enter as a scan', () => {
    const steps = type(undefined, '09506000134352', 8)
    expect(steps.at(-1)).toEqual({ kind: 'scan', text: '09506000134352' })
    expect(steps[0]).toEqual({ kind: 'char', burstStart: true })
    expect(steps.slice(1, -1).every((s) => s.kind === 'char' && !s.burstStart)).toBe(true)
  })

  it('leaves slow typing as typing, its Enter the field’s own', () => {
    const steps = type(undefined, 'A-01-03', 120)
    expect(steps.at(-1)).toEqual({ kind: 'enter' })
    expect(steps.slice(0, -1).every((s) => s.kind === 'char' && s.burstStart)).toBe(true)
  })

  it('needs at least four characters', () => {
    expect(type(undefined, 'ABC', 5).at(-1)).toEqual({ kind: 'enter' })
    expect(type(undefined, 'ABCD', 5).at(-1)).toEqual({ kind: 'scan', text: 'ABCD' })
  })

  it('counts a key just within the gap as part of the burst and one just after as a new start', () => {
    const detector = createWedgeDetector({ gapMs: 35 })
    expect(type(detector, 'WXYZ', 35).at(-1)).toEqual({ kind: 'scan', text: 'WXYZ' })
    expect(type(detector, 'WXYZ', 36).at(-1)).toEqual({ kind: 'enter' })
  })

  it('drops what was typed slowly before a burst from the scan', () => {
    const detector = createWedgeDetector()
    detector.key('h', 0)
    detector.key('i', 200)
    expect(type(detector, 'SKU-42', 10, 600).at(-1)).toEqual({ kind: 'scan', text: 'SKU-42' })
  })

  it('ends the scan at a slow Enter (a person pressing it after a fast roll of keys)', () => {
    const detector = createWedgeDetector()
    ;[...'ABCDE'].forEach((k, i) => detector.key(k, i * 10))
    expect(detector.key('Enter', 500)).toEqual({ kind: 'enter' })
  })

  it('ignores keys that type nothing and keeps the GS of a GS1 label', () => {
    const detector = createWedgeDetector()
    const keys = ['Shift', '0', '1', 'Shift', '\x1d', '1', '0', 'A', 'Enter']
    const steps = keys.map((k, i) => detector.key(k, 100 + i * 5))
    expect(steps[0]).toEqual({ kind: 'other' })
    expect(steps.at(-1)).toEqual({ kind: 'scan', text: '01\x1d10A' })
  })

  it('starts afresh after each scan', () => {
    const detector = createWedgeDetector()
    expect(type(detector, 'FIRST', 5, 0).at(-1)).toEqual({ kind: 'scan', text: 'FIRST' })
    // The next scan's first key comes right after the Enter: still a new burst.
    const next = type(detector, 'NEXT', 5, 30)
    expect(next[0]).toEqual({ kind: 'char', burstStart: true })
    expect(next.at(-1)).toEqual({ kind: 'scan', text: 'NEXT' })
  })
})
