import { afterAll, beforeAll, describe, it } from 'vitest'
import { buildTestApp, type TestApp } from '../../../test/support/app.ts'
import { expectOwnerFreshAfterCustomerWrites } from './vehicles-owner.test-support.ts'

describe('vehicles: the owner on staff answers stays fresh', () => {
  let t: TestApp

  beforeAll(async () => {
    t = await buildTestApp()
  })
  afterAll(async () => t?.close())

  it("shows a change of the owner's name or phone (PATCH /api/users/:id, PATCH /api/auth/me, PATCH /api/customers/:id) in the next cached read", async () => {
    await expectOwnerFreshAfterCustomerWrites(t.app, t.app)
  })
})
