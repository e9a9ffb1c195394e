import { Type, type Static } from 'typebox'

/** The path of GET /api/vin/:vin: any text up to 64 characters (the decoder says what is wrong with it). */
export const VinParams = Type.Object({
  vin: Type.String({ minLength: 1, maxLength: 64, description: 'The VIN as typed; a–z are read as A–Z, nothing is trimmed' }),
})
export type VinParamsInput = Static<typeof VinParams>

const Nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description })
const Region = Type.Union(
  [Type.Literal('Africa'), Type.Literal('Asia'), Type.Literal('Europe'), Type.Literal('North America'), Type.Literal('Oceania'), Type.Literal('South America')],
  { description: "From the WMI's first character (SAE's WMI chart); null for the spare codes" },
)

/** What GET /api/vin/:vin answers: the contract's fields, plus `problems`. */
export const VinDecodingSchema = Type.Object(
  {
    vin: Type.String({ description: 'The input with a–z upper-cased' }),
    valid: Type.Boolean({ description: '17 characters A–Z and 0–9 without I, O, Q; a wrong check digit does not make a VIN invalid' }),
    checkDigit: Type.Object(
      {
        applies: Type.Boolean({ description: 'True for a well-formed VIN whose first character is 1–5 (North America, as the contract defines it)' }),
        expected: Nullable('What position 9 should hold, 0–9 or X'),
        actual: Nullable('What position 9 holds'),
      },
      { additionalProperties: false },
    ),
    region: Type.Union([Region, Type.Null()]),
    country: Nullable("From the WMI's first two characters; null where none is assigned"),
    manufacturer: Nullable('From the 3-character WMI when the (small) offline table knows it'),
    modelYears: Type.Array(Type.Integer(), { description: 'Every year position 10 can stand for from 1980 to next year, newest first' }),
    problems: Type.Array(Type.String(), { description: 'Extension: why the VIN is not well-formed, one sentence per kind of fault ([] when valid)' }),
  },
  {
    title: 'VinDecoding',
    additionalProperties: false,
    examples: [
      {
        vin: '1HGCM82633A004352',
        valid: true,
        checkDigit: { applies: true, expected: '3', actual: '3' },
        region: 'North America',
        country: 'United States',
        manufacturer: 'Honda',
        modelYears: [2003],
        problems: [],
      },
    ],
  },
)
export type VinDecodingResponse = Static<typeof VinDecodingSchema>
