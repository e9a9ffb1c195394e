/** The four roles of ECAR. */
export const ROLES = ['admin', 'advisor', 'mechanic', 'customer'] as const
export type Role = (typeof ROLES)[number]

/** Staff roles: everyone who works at the garage. */
export const STAFF_ROLES: readonly Role[] = ['admin', 'advisor', 'mechanic']

/** True for admin, advisor and mechanic. */
export const isStaff = (role: Role): boolean => role !== 'customer'
