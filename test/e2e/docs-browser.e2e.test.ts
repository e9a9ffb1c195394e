import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, type TestApp } from '../support/app.ts'

// Debian's chromium package; .ci/run installs it. Without it this file says so and skips.
const CHROMIUM = '/usr/bin/chromium'
const available = existsSync(CHROMIUM)
if (!available) console.warn(`docs-browser: ${CHROMIUM} is missing (apt-get install chromium); the Swagger UI browser test is skipped`)

describe.skipIf(!available)('Swagger UI at /docs in a real browser, over plain HTTP from a non-localhost name', () => {
  let t: TestApp
  let browser: Browser
  let port: number
  beforeAll(async () => {
    t = await buildTestApp()
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    port = (t.app.server.address() as AddressInfo).port
    // ecar.test is not localhost, so Chromium treats http://ecar.test as a non-secure origin and
    // applies upgrade-insecure-requests, as it would for another machine on the LAN.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--host-resolver-rules=MAP ecar.test 127.0.0.1', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    })
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('lists every operation of the spec', async () => {
    const spec = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> }
    const operations = Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).filter((k) => ['get', 'post', 'patch', 'put', 'delete'].includes(k)).length, 0)
    const page = await browser.newPage()
    const failed: string[] = []
    page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`))
    const response = await page.goto(`http://ecar.test:${port}/docs`)
    expect(response?.status()).toBe(200)
    await page.waitForSelector('.opblock', { timeout: 15_000 })
    // An operation with two tags shows under each: count distinct method + path pairs.
    const shown = await page.locator('.opblock-summary').evaluateAll((nodes) =>
      nodes.map((n) => `${n.querySelector('.opblock-summary-method')?.textContent} ${n.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`),
    )
    expect(new Set(shown).size).toBe(operations)
    expect(shown).toContain('GET /api/vehicles/{id}')
    expect(failed).toEqual([])
    expect(response?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests')
    await page.close()
  }, 60_000)
})
