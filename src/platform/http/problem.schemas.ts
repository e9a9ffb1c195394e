import { Type } from 'typebox'

const problemFields = {
  type: Type.String({ description: 'A URI naming the kind of problem, e.g. https://ecar.dev/problems/vehicle-not-found' }),
  title: Type.String({ description: 'The HTTP status text' }),
  status: Type.Integer({ description: 'The HTTP status code' }),
  detail: Type.String({ description: 'What went wrong, in a sentence safe to show' }),
  code: Type.String({ description: 'A fixed ECAR_ERR_… code to branch on' }),
  allowed: Type.Optional(
    Type.Array(Type.String(), { description: 'ECAR_ERR_ILLEGAL_TRANSITION only: the statuses the caller could move the object to from its current one' }),
  ),
  instance: Type.Optional(Type.String({ description: 'The request path' })),
}

/** RFC 9457 problem body of every error but a 400: the named component `Problem`. */
export const ProblemSchema = Type.Object(problemFields, {
  title: 'Problem',
  description: 'RFC 9457 problem details, sent as application/problem+json',
  examples: [
    {
      type: 'https://ecar.dev/problems/vehicle-not-found',
      title: 'Not Found',
      status: 404,
      detail: 'Vehicle not found.',
      code: 'ECAR_ERR_VEHICLE_NOT_FOUND',
      instance: '/api/vehicles/42',
    },
  ],
})

/** The 400 problem, with one `{ field, message }` per invalid field: the named component `ValidationProblem`. */
export const ValidationProblemSchema = Type.Object(
  {
    ...problemFields,
    errors: Type.Array(
      Type.Object({
        field: Type.String({ description: 'Where: body.vin, querystring.limit, params.id, …' }),
        message: Type.String({ description: 'What is wrong with it' }),
      }),
      { description: 'Every invalid field; empty when the request as a whole is malformed (bad JSON, bad cursor)' },
    ),
  },
  {
    title: 'ValidationProblem',
    description: 'RFC 9457 problem details of a 400, listing each invalid field',
    examples: [
      {
        type: 'https://ecar.dev/problems/validation',
        title: 'Bad Request',
        status: 400,
        detail: 'The request is invalid; see errors.',
        code: 'ECAR_ERR_VALIDATION',
        instance: '/api/vehicles',
        errors: [
          { field: 'body.vin', message: 'must be 17 characters A-Z and 0-9 without I, O and Q' },
          { field: 'body.year', message: 'must be >= 1886' },
        ],
      },
    ],
  },
)
