import type { MessageDraft } from '../messages/index.ts'

/*
 * The links mailed out lead to the web app, not the API: `<PUBLIC_URL>/reset-password#token=…` and
 * `<PUBLIC_URL>/invite#token=…`. The token is in the fragment, which browsers never send to a server,
 * so it stays out of access logs, proxies and Referer headers; the page posts it to the API
 * (POST /api/auth/password-reset/:token, POST /api/auth/invitations/:token).
 */

/** The password-reset page's link for a token. */
export function resetLink(publicUrl: string, token: string): string {
  return `${publicUrl}/reset-password#token=${token}`
}

/** The invitation page's link for a token. */
export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl}/invite#token=${token}`
}

/** The password-reset mail. */
export function resetMessage(to: { id: number; email: string; name: string }, url: string, validMinutes: number): MessageDraft {
  return {
    kind: 'password_reset',
    to: to.email,
    subject: 'Reset your ECAR password',
    text:
      `Hello ${to.name},\n\nSomeone (we hope you) asked to reset the password of your ECAR account.\n` +
      `Choose a new password here within ${validMinutes} minutes:\n\n${url}\n\n` +
      'The link works once. If you did not ask for it, ignore this mail: your password stays as it is.\n',
    related: { type: 'user', id: to.id },
  }
}

/** The invitation mail of a customer opened at the front desk. */
export function invitationMessage(to: { id: number; email: string; name: string }, url: string, validDays: number): MessageDraft {
  return {
    kind: 'invitation',
    to: to.email,
    subject: 'Your ECAR customer account',
    text:
      `Hello ${to.name},\n\nYour garage has opened an ECAR account for you: see your vehicles, estimates and appointments online.\n` +
      `Choose a password within ${validDays} days here:\n\n${url}\n\nThe link works once.\n`,
    related: { type: 'user', id: to.id },
  }
}
