import nodemailer from 'nodemailer'
import type { MessageRow } from './messages.table.ts'

/** Sends one message or throws; `permanent` on the error means retrying cannot help. */
export interface MailTransport {
  send(message: Pick<MessageRow, 'recipient' | 'subject' | 'textBody' | 'htmlBody'>): Promise<void>
  close(): void
}

/** A sending failure as the outbox records it: never the credentials, never the body. */
export interface SendFailure {
  /** Text for `last_error` (SMTP reply code and text, or the network error). */
  reason: string
  /** A 5xx SMTP reply: the relay refused for good, so no retry. */
  permanent: boolean
}

/** Classifies what nodemailer threw. */
export function describeSendError(error: unknown): SendFailure {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string }
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined
  const text = reply !== undefined && e.response ? e.response : (e.message ?? String(error))
  const reason = `${e.code ? `${e.code}: ` : ''}${text}`.slice(0, 500)
  return { reason, permanent: reply !== undefined && reply >= 500 && reply < 600 }
}

/**
 * An SMTP transport from `SMTP_URL` (smtp:// with STARTTLS when offered, smtps:// for TLS from the
 * start; user and password in the URL). Timeouts are bounded so a hung relay cannot hold a claimed
 * message past its lease. nodemailer's own logger stays off: it would print the AUTH exchange.
 */
export function createSmtpTransport(options: { smtpUrl: string; from: string; timeoutMs?: number }): MailTransport {
  const timeout = options.timeoutMs ?? 15_000
  const url = new URL(options.smtpUrl)
  const transporter = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
    debug: false,
  })
  return {
    async send(message) {
      await transporter.sendMail({
        from: options.from,
        to: message.recipient,
        subject: message.subject,
        text: message.textBody,
        ...(message.htmlBody ? { html: message.htmlBody } : {}),
      })
    },
    close() {
      transporter.close()
    },
  }
}
