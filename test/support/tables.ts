// Tables for tests that insert or read rows directly (factories, fault tests); each from its owner's public index.
export { accountTokens, sessions } from '../../src/modules/auth/index.ts'
export { messages } from '../../src/modules/messages/index.ts'
export { users } from '../../src/modules/users/index.ts'
export { vehicles } from '../../src/modules/vehicles/index.ts'
export { bays } from '../../src/modules/bays/index.ts'
export { services } from '../../src/modules/services/index.ts'
