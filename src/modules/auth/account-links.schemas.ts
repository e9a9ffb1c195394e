import { Type, type Static } from 'typebox'
import { EmailSchema, PasswordSchema, UserSchema } from '../users/index.ts'

/** A link token as issued: 256 random bits, base64url (43 characters). */
export const LinkTokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'The token of the mailed link' }) })

/** POST /api/auth/password-reset. */
export const PasswordResetRequestBody = Type.Object({ email: EmailSchema }, { additionalProperties: false })
export type PasswordResetRequestInput = Static<typeof PasswordResetRequestBody>

/** POST /api/auth/password-reset/:token and POST /api/auth/invitations/:token. */
export const NewPasswordBody = Type.Object({ password: PasswordSchema }, { additionalProperties: false })
export type NewPasswordInput = Static<typeof NewPasswordBody>

/** The answer of an accepted invitation: signed in, as after registering. */
export const InvitationAccepted = Type.Object({ token: Type.String(), user: UserSchema }, { title: 'InvitationAccepted' })

/** The answer of POST /api/customers/:id/invitations. */
export const InvitationCreated = Type.Object({
  url: Type.String({ description: '<PUBLIC_URL>/invite#token=…; works once' }),
  expiresAt: Type.String({ format: 'date-time' }),
}, { title: 'Invitation' })
