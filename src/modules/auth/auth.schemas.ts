import { Type, type Static } from 'typebox'
import { ROLES } from '../../platform/auth/roles.ts'
import { EmailSchema as Email, NameSchema as Name, PasswordSchema as Password, PhoneSchema as Phone, UserSchema } from '../users/users.schemas.ts'

// Accounts are the users module's: its user object and field rules are the one definition.
export { UserSchema, type User } from '../users/users.schemas.ts'

/** The short user of a login answer. */
export const LoginUserSchema = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Enum(ROLES),
})

export const RegisterBody = Type.Object(
  { email: Email, password: Password, name: Name, phone: Type.Optional(Phone) },
  { additionalProperties: false },
)
export type RegisterInput = Static<typeof RegisterBody>

export const RegisterResponse = Type.Object({ token: Type.String(), user: UserSchema })

export const LoginBody = Type.Object(
  // Any stored password is accepted here; the 10-character rule applies when one is set.
  { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
)
export type LoginInput = Static<typeof LoginBody>

export const LoginResponse = Type.Object({ token: Type.String(), user: LoginUserSchema })

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
