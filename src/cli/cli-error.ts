/** An error the CLI reports as one clear line and exit code 1, without a stack trace. */
export class CliError extends Error {
  override name = 'CliError'
}
