import { describe, expect, it } from 'vitest'
import { KeySpace, globMatcher } from './key-space.ts'

describe('glob matching (as SCAN MATCH)', () => {
  const m = (glob: string, text: string) => globMatcher(glob)(text)

  it('matches stars, question marks, classes and escapes', () => {
    expect(m('customer_vehicles_*', 'customer_vehicles_12')).toBe(true)
    expect(m('customer_vehicles_*', 'vehicle_list_u1')).toBe(false)
    expect(m('customer_vehicles_?', 'customer_vehicles_1')).toBe(true)
    expect(m('customer_vehicles_?', 'customer_vehicles_12')).toBe(false)
    expect(m('customer_vehicles_[0-4]', 'customer_vehicles_3')).toBe(true)
    expect(m('customer_vehicles_[^0-4]', 'customer_vehicles_3')).toBe(false)
    expect(m('customer_vehicles_[z-a]', 'customer_vehicles_q')).toBe(true) // reversed range, as Redis
    expect(m('a\\*b', 'a*b')).toBe(true)
    expect(m('a\\*b', 'axb')).toBe(false)
    expect(m('*', '')).toBe(true)
    expect(m('a*b*c', 'aXbYc')).toBe(true)
    expect(m('a*b*c', 'aXbY')).toBe(false)
    expect(m('[', '[')).toBe(false)
  })

  it('stays linear for patterns made of many stars', () => {
    const started = performance.now()
    const match = globMatcher(`${'*'.repeat(40)}x`)
    for (let i = 0; i < 1000; i++) match('a'.repeat(200))
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('names physical keys with the prefix and version, and keeps bookkeeping keys apart', () => {
    const keys = new KeySpace('ecar', 1)
    expect(keys.entry('customer_vehicles_12')).toBe('ecar:v1:customer_vehicles_12')
    expect(keys.tag('customer:12:vehicles')).toBe('ecar:v1:#t:customer:12:vehicles')
    expect(keys.logical('ecar:v1:customer_vehicles_12')).toBe('customer_vehicles_12')
    expect(keys.logical('ecar:v1:#t:x')).toBeUndefined()
    expect(keys.logical('other:v1:customer_vehicles_12')).toBeUndefined()
  })

  it('puts the deployment id in the root, so deployments sharing a prefix never share a key or a channel', () => {
    const mine = new KeySpace('ecar', 1, 'dep1')
    const theirs = new KeySpace('ecar', 1, 'dep2')
    expect(mine.entry('customer_vehicles_12')).toBe('ecar:v1:dep1:customer_vehicles_12')
    expect(mine.channel).not.toBe(theirs.channel)
    expect(mine.logical(theirs.entry('customer_vehicles_12'))).toBeUndefined()
  })
})
