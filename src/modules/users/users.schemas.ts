import { Type, type Static } from 'typebox'
import { ROLES } from '../../platform/auth/roles.ts'
import { PageQuery } from '../../platform/http/common.schemas.ts'
import { TEXT_KEYWORD } from '../../platform/http/validation.ts'

/** One of the four roles. */
export const RoleSchema = Type.Enum(ROLES, { description: 'admin, advisor, mechanic or customer' })

/** Passwords: 10 to 128 characters (the contract's rule). */
export const PasswordSchema = Type.String({ minLength: 10, maxLength: 128 })

/** An email address; stored and compared lower-case. */
export const EmailSchema = Type.String({ format: 'email', minLength: 3, maxLength: 254, description: 'Stored and compared lower-case' })
/** A person's name: trimmed, with at least one visible character (a name of blanks or zero-width spaces is no name). */
export const NameSchema = Type.String({ minLength: 1, maxLength: 200, [TEXT_KEYWORD]: true, description: 'Trimmed; at least one visible character' })
/** A phone number: digits, spaces and + ( ) . / - */
export const PhoneSchema = Type.String({ minLength: 3, maxLength: 40, pattern: '^\\+?[0-9][0-9 ()./-]*$', 'x-pattern-message': 'must be digits, spaces and + ( ) . / -', description: 'Digits, spaces and + ( ) . / -' })

/** An account as the API shows it; the password hash never leaves the server. */
export const UserSchema = Type.Object(
  {
    id: Type.Integer(),
    email: Type.String(),
    name: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
    role: RoleSchema,
    active: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  {
    title: 'User',
    description: 'An account of any role',
    examples: [
      {
        id: 3,
        email: 'sam@garage.example',
        name: 'Sam Advisor',
        phone: '+44 20 7946 0000',
        role: 'advisor',
        active: true,
        createdAt: '2026-01-05T08:00:00.000Z',
        updatedAt: '2026-01-05T08:00:00.000Z',
      },
    ],
  },
)
export type User = Static<typeof UserSchema>

/** POST /api/users. */
export const CreateUserBody = Type.Object(
  { email: EmailSchema, password: PasswordSchema, name: NameSchema, role: RoleSchema, phone: Type.Optional(PhoneSchema) },
  { additionalProperties: false },
)
export type CreateUserBody = Static<typeof CreateUserBody>

/** PATCH /api/users/:id: any subset of the changeable fields; `phone: null` clears it. */
export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(NameSchema),
    phone: Type.Optional(Type.Union([PhoneSchema, Type.Null()])),
    email: Type.Optional(EmailSchema),
    role: Type.Optional(RoleSchema),
    active: Type.Optional(Type.Boolean()),
    password: Type.Optional(PasswordSchema),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateUserBody = Static<typeof UpdateUserBody>

/** GET /api/users filters. */
export const ListUsersQuery = Type.Object(
  {
    ...PageQuery,
    role: Type.Optional(RoleSchema),
    active: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Case-insensitive literal substring of name or email' })),
  },
  { additionalProperties: false },
)
export type ListUsersQuery = Static<typeof ListUsersQuery>
