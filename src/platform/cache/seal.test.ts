import { describe, expect, it } from 'vitest'
import { MESSAGE_WINDOW_MS, MessageSeal, type InvalidationMessage } from './invalidation-message.ts'
import { MAC_BYTES, Seal } from './seal.ts'

const current = 'c'.repeat(32)
const previous = 'p'.repeat(32)

describe('Seal', () => {
  it('opens what it sealed, under the same scope only', () => {
    const seal = new Seal([current])
    const sealed = seal.seal('ecar:v1:d:k', Buffer.from('body'))
    expect(sealed.length).toBe(MAC_BYTES + 4)
    expect(seal.open('ecar:v1:d:k', sealed)?.toString()).toBe('body')
    expect(seal.open('ecar:v1:d:other', sealed)).toBeUndefined()
    expect(new Seal(['x'.repeat(32)]).open('ecar:v1:d:k', sealed)).toBeUndefined()
  })

  it('does not let a scope and body be re-split ("ab" + "c…" is not "abc" + "…")', () => {
    const seal = new Seal([current])
    const sealed = seal.seal('ab', Buffer.from('cdef'))
    const moved = Buffer.concat([sealed.subarray(0, MAC_BYTES), Buffer.from('def')])
    expect(seal.open('abc', moved)).toBeUndefined()
  })

  it('rotates: the new secret signs, the previous one is still read, a retired one is not', () => {
    const old = new Seal([previous]).seal('k', Buffer.from('v'))
    const rotated = new Seal([current, previous])
    expect(rotated.open('k', old)?.toString()).toBe('v')
    expect(new Seal([previous]).open('k', rotated.seal('k', Buffer.from('v')))).toBeUndefined()
    expect(new Seal([current]).open('k', old)).toBeUndefined()
  })

  it('refuses values shorter than a MAC', () => {
    expect(new Seal([current]).open('k', Buffer.alloc(3))).toBeUndefined()
  })
})

describe('MessageSeal', () => {
  const message: InvalidationMessage = { kind: 'clear', from: 'a', root: 'ecar:v1:d:' }
  const make = () => {
    const reasons: string[] = []
    return { reasons, seal: new MessageSeal(new Seal([current]), 'ecar:v1:d:#bus', 'ecar:v1:d:', (r) => reasons.push(r)) }
  }

  it('accepts a sealed message once, and refuses it replayed, forged, late or for another deployment', () => {
    const { seal, reasons } = make()
    const text = seal.encode(message)
    expect(seal.decode(text)).toMatchObject(message)
    expect(seal.decode(text)).toBeUndefined()
    expect(seal.decode(JSON.stringify(message))).toBeUndefined()
    expect(seal.decode(text.replace('"clear"', '"tags"'))).toBeUndefined()
    expect(make().seal.decode(text, Date.now() + MESSAGE_WINDOW_MS + 1000)).toBeUndefined()
    const other = new MessageSeal(new Seal([current]), 'ecar:v1:d:#bus', 'ecar:v1:e:', () => {})
    expect(other.decode(seal.encode(message))).toBeUndefined()
    expect(reasons).toEqual(['message_replay', 'message_mac', 'message_mac'])
  })

  it('on the database path, checks the MAC but not the clock (a skew must not drop an invalidation)', () => {
    const feed = new MessageSeal(new Seal([current]), 'ecar:v1:d:#pg', 'ecar:v1:d:', () => {}, false)
    const text = feed.encode(message)
    expect(feed.decode(text, Date.now() + 10 * MESSAGE_WINDOW_MS)).toMatchObject(message)
    expect(feed.decode(JSON.stringify(message))).toBeUndefined()
  })

  it('tells two identical messages sent in one millisecond apart', () => {
    const { seal } = make()
    const first = seal.encode(message)
    const second = seal.encode(message)
    expect(seal.decode(first)).toBeDefined()
    expect(seal.decode(second)).toBeDefined()
  })
})
