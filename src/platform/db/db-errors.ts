const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'])

function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code
  return undefined
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  let current: unknown = error
  while (current && chain.length < 5) {
    chain.push(current)
    current = typeof current === 'object' && 'cause' in current ? (current as { cause?: unknown }).cause : undefined
  }
  return chain
}

/** True when the error means the database cannot be reached (as opposed to a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return causeChain(error).some((e) => {
    const code = codeOf(e)
    if (code && CONNECTION_CODES.has(code)) return true
    // SQLSTATE class 08 (connection exception) and 57P0x (shutdown, cannot connect now).
    if (code && /^(08\d{3}|57P0[1-3])$/.test(code)) return true
    const message = e instanceof Error ? e.message : ''
    return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(message)
  })
}

/** The SQLSTATE of a database error, looking through Drizzle's wrapping. */
export function sqlState(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    const code = codeOf(e)
    if (code && /^[0-9A-Z]{5}$/.test(code)) return code
  }
  return undefined
}

/** The constraint a unique or foreign-key violation names, if any. */
export function violatedConstraint(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    if (typeof e === 'object' && e !== null && 'constraint' in e && typeof e.constraint === 'string') return e.constraint
  }
  return undefined
}
