import { describe, it, expect } from 'vitest'
import { createTopics, type DeviceTopic } from '@wh/shared'

describe('createTopics builders', () => {
  const topics = createTopics()

  it('uses wh as the default root', () => {
    expect(topics.root).toBe('wh')
    expect(topics.events('site1', 'D-1')).toBe('wh/site1/devices/D-1/events')
    expect(topics.acks('site1', 'D-1')).toBe('wh/site1/devices/D-1/acks')
    expect(topics.status('site1', 'D-1')).toBe('wh/site1/devices/D-1/status')
  })

  it('puts a configured root, including a multi-level one, in front', () => {
    expect(createTopics('test_42').events('s', 'd')).toBe('test_42/s/devices/d/events')
    const nested = createTopics('t-1/wh')
    expect(nested.root).toBe('t-1/wh')
    expect(nested.acks('site.2', 'scanner_07')).toBe('t-1/wh/site.2/devices/scanner_07/acks')
  })

  it('accepts levels of 64 characters', () => {
    const long = 'a'.repeat(64)
    expect(topics.events(long, long)).toBe(`wh/${long}/devices/${long}/events`)
  })

  it('builds the MQTT 5 shared subscription', () => {
    expect(topics.sharedSubscription('events')).toBe('$share/hub/wh/+/devices/+/events')
    expect(topics.sharedSubscription('status', 'hub-2')).toBe('$share/hub-2/wh/+/devices/+/status')
    expect(createTopics('t-1/wh').sharedSubscription('events')).toBe('$share/hub/t-1/wh/+/devices/+/events')
  })

  const invalidLevels = [
    '+',
    '#',
    '/',
    '',
    ' ',
    'a/b',
    'a+',
    'a#',
    'site 1',
    '$SYS',
    '-site',
    '.site',
    '_site',
    'a'.repeat(65),
    'sité',
    'a\0',
    'a\n',
  ]

  it.each(invalidLevels)('builders throw TypeError on site or deviceId %j', (bad) => {
    expect(() => topics.events(bad, 'D-1')).toThrow(TypeError)
    expect(() => topics.acks('site1', bad)).toThrow(TypeError)
    expect(() => topics.status(bad, bad)).toThrow(TypeError)
  })

  it.each(['+', '#', '/', '', 'a/b', 'hub group'])('sharedSubscription throws on group %j', (bad) => {
    expect(() => topics.sharedSubscription('events', bad)).toThrow(TypeError)
  })

  it.each(['', '/', 'wh/', '/wh', 'wh//x', 'wh/+', 'wh/#', '#', '+/wh', 'w h', '$SYS'])('createTopics throws on root %j', (bad) => {
    expect(() => createTopics(bad)).toThrow(TypeError)
  })

  it('names the offending level in the error', () => {
    expect(() => topics.events('site1', '+')).toThrow(/deviceId/)
    expect(() => topics.events('#', 'D-1')).toThrow(/site/)
  })
})

describe('createTopics parse', () => {
  const topics = createTopics()
  const nested = createTopics('t-1/wh')

  it.each(['events', 'acks', 'status'] as const)('round-trips %s topics', (kind) => {
    const expected: DeviceTopic = { site: 'site1', deviceId: 'D-1', kind }
    expect(topics.parse(topics[kind]('site1', 'D-1'))).toEqual(expected)
    expect(nested.parse(nested[kind]('site1', 'D-1'))).toEqual(expected)
  })

  it('round-trips unusual but valid identifiers', () => {
    expect(topics.parse(topics.events('A.b_c-9', '0'))).toEqual({ site: 'A.b_c-9', deviceId: '0', kind: 'events' })
  })

  it.each([
    ['another root', 'xx/site1/devices/D-1/events'],
    ['a root with the same prefix', 'wh2/site1/devices/D-1/events'],
    ['root in another case', 'WH/site1/devices/D-1/events'],
    ['a longer root ending in wh', 't-1/wh/site1/devices/D-1/events'],
  ])('rejects %s', (_name, topic) => {
    expect(topics.parse(topic)).toBeNull()
  })

  it('requires every level of a multi-level root', () => {
    expect(nested.parse('wh/site1/devices/D-1/events')).toBeNull()
    expect(nested.parse('t-1/site1/devices/D-1/events')).toBeNull()
    expect(nested.parse('t-2/wh/site1/devices/D-1/events')).toBeNull()
    expect(nested.parse('t-1/xx/site1/devices/D-1/events')).toBeNull()
    expect(nested.parse('t-1/wh/site1/devices/D-1')).toBeNull()
    expect(nested.parse('t-1/wh/x/site1/devices/D-1/events')).toBeNull()
  })

  it.each([
    ['too few levels', 'wh/site1/devices/events'],
    ['too many levels', 'wh/site1/devices/D-1/events/extra'],
    ['trailing slash', 'wh/site1/devices/D-1/events/'],
    ['leading slash', '/wh/site1/devices/D-1/events'],
    ['empty site', 'wh//devices/D-1/events'],
    ['empty deviceId', 'wh/site1/devices//events'],
    ['no devices level', 'wh/site1/device/D-1/events'],
    ['unknown kind', 'wh/site1/devices/D-1/event'],
    ['kind in another case', 'wh/site1/devices/D-1/Events'],
    ['root only', 'wh'],
    ['empty string', ''],
  ])('rejects %s', (_name, topic) => {
    expect(topics.parse(topic)).toBeNull()
  })

  it.each([
    ['+ as site', 'wh/+/devices/D-1/events'],
    ['+ as deviceId', 'wh/site1/devices/+/events'],
    ['# as deviceId', 'wh/site1/devices/#/events'],
    ['# as kind', 'wh/site1/devices/D-1/#'],
    ['+ as kind', 'wh/site1/devices/D-1/+'],
    ['+ inside a level', 'wh/site+1/devices/D-1/events'],
    ['space in a level', 'wh/site 1/devices/D-1/events'],
    ['$ level', 'wh/$SYS/devices/D-1/events'],
  ])('rejects %s', (_name, topic) => {
    expect(topics.parse(topic)).toBeNull()
  })

  it('does not parse its own subscription filter', () => {
    expect(topics.parse('wh/+/devices/+/events')).toBeNull()
    expect(topics.parse(topics.sharedSubscription('events'))).toBeNull()
  })

  it('does not mistake topics of another installation on the same broker', () => {
    const a = createTopics('t-1/wh')
    const b = createTopics('t-2/wh')
    expect(b.parse(a.events('site1', 'D-1'))).toBeNull()
    expect(a.parse(a.events('site1', 'D-1'))).not.toBeNull()
  })
})
