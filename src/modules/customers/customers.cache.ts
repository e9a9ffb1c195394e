/*
 * Cache tags of customers' profiles (name, phone), as other modules' cached answers show them.
 *
 * | tag         | read by                                                        | touched by                                          |
 * |-------------|----------------------------------------------------------------|-----------------------------------------------------|
 * | `customers` | staff GET /api/vehicles and GET /api/vehicles/:id (`owner`)     | every change of a user's name or phone (any write) |
 *
 * One tag for all customers, because a response's tags are fixed before it is loaded (from the
 * request, src/platform/cache/response-cache.types.ts): a staff list cannot know in advance whose
 * vehicles it will hold. Staff lists already carry `vehicles`, touched by every vehicle write, so
 * a shared tag costs little; the customers' own answers have no `owner` and do not carry it.
 */

/** The tag of every cached answer that shows a customer's name or phone: touch it whenever one changes. */
export const CUSTOMER_PROFILES_TAG = 'customers'
