import type { VerifiedUser } from '../grants/types.js'
import type { Records } from './records.js'
import { digest, randomToken } from './signer.js'

/** What an authorization code stands for, bound at issue (RFC 6749 §4.1.2, RFC 7636 §4.4, RFC 9449 §10). */
export interface CodeGrant {
  readonly clientId: string
  /** The redirect URI the response went to. */
  readonly redirectUri: string
  /** Whether the request named it: the token request must then send the same (RFC 6749 §4.1.3). */
  readonly redirectUriSent: boolean
  /** The S256 code challenge (RFC 7636 §4.3). */
  readonly codeChallenge: string
  /** The thumbprint of the DPoP key a proof must be made with to redeem the code (RFC 9449 §10). */
  readonly dpopJkt?: string | undefined
  readonly scopes: readonly string[]
  readonly user: VerifiedUser
}

/**
 * A code's one record: issued, then spent. Every redemption swaps in a spent record carrying its
 * own nonce, in one atomic step; the first one later adds the family of the tokens it issued.
 */
type CodeRecord =
  | { readonly s: 'issued'; readonly g: CodeGrant }
  | {
      readonly s: 'spent'
      readonly n: string
      /** The family of the tokens the first redemption issued, and when the last of them expires. */
      readonly fid?: string | undefined
      readonly until?: number | undefined
    }

/** Longest code lifetime: RFC 6749 §4.1.2 recommends at most 10 minutes; OAuth 2.1 practice is far shorter. */
export const MAX_CODE_TTL = 60

/** Issues a code for `grant`, alive for `ttl` seconds; only its SHA-256 is stored. */
export async function issueCode(
  records: Records,
  grant: CodeGrant,
  ttl: number,
  now: number,
): Promise<string> {
  const code = randomToken()
  const record: CodeRecord = { s: 'issued', g: grant }
  await records.put(await codeKey(code), JSON.stringify(record), now + ttl)
  return code
}

export type Redemption =
  /** This call spent the code: check the grant, issue tokens, then call `issued`. */
  | {
      readonly first: true
      readonly grant: CodeGrant
      /**
       * Records the family the tokens belong to and when the last of them expires (Unix seconds);
       * `false` when the code was redeemed again meanwhile.
       */
      issued(familyId: string, until: number): Promise<boolean>
    }
  /** The code is unknown, expired, or was spent before: `issued` is what its first use recorded. */
  | { readonly first: false; readonly issued: { familyId: string; until: number } | undefined }

/**
 * Spends `code`, atomically: of any number of concurrent redemptions exactly one is first. A
 * later one takes the family the first one recorded, to revoke it (RFC 6749 §4.1.2); if the first
 * one is still issuing, it finds its own record displaced when it records its family, and so
 * learns of the reuse itself.
 */
export async function redeemCode(records: Records, code: string): Promise<Redemption> {
  const key = await codeKey(code)
  const mine = { s: 'spent', n: randomToken() } as const
  const previous = parse(await records.swap(key, JSON.stringify(mine)))
  if (previous === undefined) return { first: false, issued: undefined }
  if (previous.s !== 'issued') {
    const { fid, until } = previous
    return {
      first: false,
      issued: fid === undefined || until === undefined ? undefined : { familyId: fid, until },
    }
  }
  return {
    first: true,
    grant: previous.g,
    async issued(familyId, until) {
      const before = parse(await records.swap(key, JSON.stringify({ ...mine, fid: familyId, until })))
      // Anything but our own record means another redemption came in between.
      return before?.s === 'spent' && before.n === mine.n && before.fid === undefined
    },
  }
}

function codeKey(code: string): Promise<string> {
  return digest(code).then((hash) => `code:${hash}`)
}

function parse(text: string | undefined): CodeRecord | undefined {
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as CodeRecord
  } catch {
    return undefined
  }
}
