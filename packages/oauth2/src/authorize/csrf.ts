import { readCookie, setCookie } from './cookies.js'
import { randomToken, type Signer } from './signer.js'

export const CSRF_COOKIE = 'covet_csrf'

/**
 * CSRF tokens for the login and consent forms: an HMAC of the form's purpose, a value only this
 * browser holds (a random `covet_csrf` cookie before sign-in, the session id after), and the
 * authorization request the form carries. A page on another site cannot read either cookie, so
 * it cannot make a valid token; and a tampered request (another `state`, another redirect) no
 * longer matches its token.
 */
export class Csrf {
  readonly #signer: Signer

  constructor(signer: Signer) {
    this.#signer = signer
  }

  /** The browser's nonce cookie: the one it sent, or a new one to set. */
  nonce(request: Request, path: string): { nonce: string; cookie: string | undefined } {
    const sent = readCookie(request, CSRF_COOKIE)
    if (sent !== undefined && sent.length === 43) return { nonce: sent, cookie: undefined }
    const nonce = randomToken()
    // SameSite=Strict: the cookie is only ever needed by this site's own form posts.
    return {
      nonce,
      cookie: setCookie(request, CSRF_COOKIE, nonce, { maxAge: 3600, path, sameSite: 'Strict' }),
    }
  }

  loginToken(nonce: string, query: string): Promise<string> {
    return this.#signer.sign('login', nonce, query)
  }

  async checkLogin(request: Request, token: string | undefined, query: string): Promise<boolean> {
    const nonce = readCookie(request, CSRF_COOKIE)
    if (nonce === undefined || token === undefined) return false
    return this.#signer.verify(token, 'login', nonce, query)
  }

  consentToken(sessionId: string, query: string): Promise<string> {
    return this.#signer.sign('consent', sessionId, query)
  }

  checkConsent(sessionId: string, token: string | undefined, query: string): Promise<boolean> {
    if (token === undefined) return Promise.resolve(false)
    return this.#signer.verify(token, 'consent', sessionId, query)
  }
}
