import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../http/errors.ts'
import { configurePasswordHashing, hashPassword, needsRehash, passwordHashingStats, verifyPassword } from './password.ts'
import { createScryptSlots } from './scrypt-slots.ts'

describe('scrypt slots', () => {
  it('runs at most `concurrency` at once, queues the next ones in order, and refuses past the queue with 503', async () => {
    const slots = createScryptSlots({ concurrency: 2, queue: 2 })
    const order: number[] = []
    const gates: Array<() => void> = []
    const task = (n: number) =>
      slots.run(async () => {
        order.push(n)
        await new Promise<void>((resolve) => gates.push(resolve))
        return n
      })
    const running = [task(1), task(2), task(3), task(4)]
    await new Promise((r) => setImmediate(r))
    expect(order).toEqual([1, 2])
    expect(slots.stats()).toEqual({ running: 2, waiting: 2 })
    const refused = await task(5).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(AppError)
    expect(refused).toMatchObject({ status: 503, retryAfterSeconds: 1 })
    while (gates.length > 0 || order.length < 4) {
      gates.shift()?.()
      await new Promise((r) => setImmediate(r))
    }
    expect(await Promise.all(running)).toEqual([1, 2, 3, 4])
    expect(order).toEqual([1, 2, 3, 4])
    expect(slots.stats()).toEqual({ running: 0, waiting: 0 })
  })
})

describe('password hashing', () => {
  afterEach(() => configurePasswordHashing({ concurrency: 2, queue: 64 }))

  it('bounds concurrent scrypt calls in the process', async () => {
    configurePasswordHashing({ concurrency: 1, queue: 1 })
    const results = await Promise.allSettled([hashPassword('a passphrase', 1024), hashPassword('a passphrase', 1024), hashPassword('a passphrase', 1024)])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected'])
    expect(passwordHashingStats()).toEqual({ running: 0, waiting: 0 })
  })

  it('says when a stored hash is weaker than the current cost', async () => {
    const weak = await hashPassword('a passphrase', 1024)
    expect(needsRehash(weak, 1024)).toBe(false)
    expect(needsRehash(weak, 2048)).toBe(true)
    expect(needsRehash(weak.replace('$8$1$', '$4$1$'), 1024)).toBe(true)
    expect(needsRehash('disabled$', 131072)).toBe(false)
    expect(await verifyPassword('a passphrase', weak)).toBe(true)
  })
})
