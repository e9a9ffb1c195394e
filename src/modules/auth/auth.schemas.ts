import { Type, type Static } from 'typebox'
import { ROLES } from '../../platform/auth/roles.ts'
import { EmailSchema as Email, NameSchema as Name, PasswordSchema as Password, PhoneSchema as Phone, UserSchema } from '../users/index.ts'

// Accounts are the users module's: its user object and field rules are the one definition.
export { UserSchema, type User } from '../users/index.ts'

/** The short user of a login answer. */
export const LoginUserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Enum(ROLES),
}, { title: 'LoginUser', description: 'The signed-in user, as a login returns it' })

export const RegisterBody = Type.Object(
  { email: Email, password: Password, name: Name, phone: Type.Optional(Phone) },
  { additionalProperties: false },
)
export type RegisterInput = Static<typeof RegisterBody>

export const RegisterResponse = Type.Object(
  { token: Type.String({ description: 'Bearer token of the new session' }), user: UserSchema },
  { title: 'Registration', description: 'The new customer account, signed in' },
)

export const LoginBody = Type.Object(
  // Any stored password is accepted here; the 10-character rule applies when one is set.
  { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
)
export type LoginInput = Static<typeof LoginBody>

export const LoginResponse = Type.Object(
  { token: Type.String({ description: 'Send as Authorization: Bearer <token>' }), user: LoginUserSchema },
  {
    title: 'Login',
    description: 'A new session',
    examples: [{ token: 'n3Yk0cX1W9…', user: { id: 7, email: 'jo@example.com', name: 'Jo Driver', role: 'customer' } }],
  },
)

export const UpdateMeBody = Type.Object(
  {
    name: Type.Optional(Name),
    phone: Type.Optional(Type.Union([Phone, Type.Null()], { description: 'null removes the phone number' })),
    email: Type.Optional(Email),
    password: Type.Optional(Password),
    currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Required with password and with email' })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateMeInput = Static<typeof UpdateMeBody>
