/** Where the data lives, for messages: never the password of a connection string. */
export function describeDatabase(config: { databaseUrl: string | undefined; dataDir: string }): string {
  if (!config.databaseUrl) return `embedded PGlite in ${config.dataDir}`
  const url = new URL(config.databaseUrl)
  return `PostgreSQL ${url.hostname}:${url.port || '5432'}${url.pathname}`
}

/** The configured database could not be opened or migrated; the message is one line for the operator. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError'

  constructor(config: { databaseUrl: string | undefined; dataDir: string }, cause: unknown) {
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause)
    super(`Cannot open the database (${describeDatabase(config)}): ${reason.split('\n')[0]}`, { cause })
  }
}
