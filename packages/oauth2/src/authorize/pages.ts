import { escapeHtml, hiddenInputs, layout } from './html.js'

/** A requested scope, with the words the consent page shows for it. */
export interface ScopeDescription {
  readonly scope: string
  readonly description: string
}

/** What a login page shows and must send back. */
export interface LoginPage {
  readonly client: { readonly id: string; readonly name: string }
  readonly scopes: readonly ScopeDescription[]
  /** Why the page is shown again, if it is. */
  readonly error?: 'invalid_credentials' | 'too_many_attempts' | 'session_expired' | 'missing_fields'
  /** The username the user typed, to fill in again after an error. */
  readonly username?: string
  /**
   * Hidden fields the form must post back as they are (the request and its CSRF token), with
   * `action=login`, `username` and `password`, to the same URL with POST.
   */
  readonly fields: Readonly<Record<string, string>>
}

/** What a consent page shows and must send back. */
export interface ConsentPage {
  readonly client: { readonly id: string; readonly name: string }
  readonly scopes: readonly ScopeDescription[]
  /** The signed-in user's subject. */
  readonly subject: string
  /**
   * Hidden fields the form must post back as they are, with `action=consent` and
   * `decision=allow` or `decision=deny`, to the same URL with POST.
   */
  readonly fields: Readonly<Record<string, string>>
}

const LOGIN_ERRORS: Record<NonNullable<LoginPage['error']>, string> = {
  invalid_credentials: 'The username or password is wrong.',
  too_many_attempts: 'Too many failed attempts. Wait a while, then try again.',
  session_expired: 'Your session has ended. Sign in again.',
  missing_fields: 'Enter your username and password.',
}

/** The built-in login page: a plain form, no script, every echoed value escaped. */
export function loginPage(page: LoginPage): string {
  const alert =
    page.error === undefined
      ? ''
      : `<p class="alert" role="alert">${escapeHtml(LOGIN_ERRORS[page.error])}</p>`
  return layout(
    'Sign in',
    `<h1>Sign in</h1>
    <p>to continue to <strong>${escapeHtml(page.client.name)}</strong></p>
    ${alert}
    <form method="post">
      ${hiddenInputs(page.fields)}
      <label for="username">Username</label>
      <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(page.username ?? '')}">
      <label for="password">Password</label>
      <input type="password" id="password" name="password" autocomplete="current-password" required>
      <button type="submit" name="action" value="login">Sign in</button>
    </form>`,
  )
}

/** The built-in consent page: the scopes in words, Allow and Deny. */
export function consentPage(page: ConsentPage): string {
  const items = page.scopes.length
    ? page.scopes.map((s) => `<li>${escapeHtml(s.description)}</li>`).join('\n        ')
    : '<li>Know that you signed in</li>'
  return layout(
    'Allow access?',
    `<h1>Allow access?</h1>
    <p><strong>${escapeHtml(page.client.name)}</strong> would like to:</p>
    <ul>
        ${items}
    </ul>
    <p class="who">Signed in as ${escapeHtml(page.subject)}</p>
    <form method="post">
      ${hiddenInputs(page.fields)}
      <input type="hidden" name="action" value="consent">
      <div class="actions">
        <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
        <button type="submit" name="decision" value="allow">Allow</button>
      </div>
    </form>`,
  )
}

/** RFC 6749 §4.1.2.1: the page shown instead of redirecting to an untrusted address. */
export function errorPage(message: string): string {
  return layout(
    'Sign-in error',
    `<h1>This sign-in cannot continue</h1>
    <p role="alert">${escapeHtml(message)}</p>
    <p>Go back to the application and try again.</p>`,
  )
}
