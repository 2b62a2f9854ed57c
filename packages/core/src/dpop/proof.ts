import { type JWK, type JWTHeaderParameters, type JWTPayload, jwtVerify } from 'jose'
import { DpopNonceError, DpopProofError, type DpopProofFailureReason } from './errors.js'
import { normalizeHtu } from './htu.js'
import type { DpopNonces } from './nonce.js'
import type { DpopSettings } from './options.js'
import type { ProofKey, ProofKeys } from './proof-keys.js'
import type { TokenHashes } from './token-hash.js'

/** A DPoP proof that passed every check of RFC 9449 §4.3. */
export interface DpopProof {
  /** The RFC 7638 SHA-256 thumbprint of the proof's key: what `cnf.jkt` binds a token to. */
  readonly jkt: string
  readonly jti: string
  /** Unix seconds. */
  readonly iat: number
  /** The public key the proof was signed with. */
  readonly jwk: JWK
  /**
   * The server's current nonce, when the proof was accepted with the previous one: send it in
   * `DPoP-Nonce` with the answer (RFC 9449 §9). Absent when the proof carries the current nonce.
   */
  readonly freshNonce?: string
}

// RFC 7517 §9.2, RFC 7518 §6: members that only a private or symmetric key has.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const
const TYP = 'dpop+jwt'
/** base64url lengths of a 4096-bit RSA modulus (with a leading zero byte) and a 48-bit exponent. */
const MAX_RSA_MODULUS = 684
const MAX_RSA_EXPONENT = 8
/** Longer `jti`s are refused: RFC 9449 §4.2 asks for 96 bits of randomness, not kilobytes. */
const MAX_JTI_LENGTH = 256

/**
 * Checks one proof against `request` (RFC 9449 §4.3): `typ`, an allowed asymmetric `alg`, a
 * public `jwk` that verifies the signature, `jti`, `htm`, `htu`, `iat` within the window, `ath`
 * when an access token comes with it, and the server's nonce when nonces are on. Does not spend
 * the `jti` (see `spendProof`): a caller first checks what else the request must satisfy.
 */
export async function checkProof(
  proof: string,
  request: Request,
  settings: DpopSettings,
  nonces: DpopNonces | undefined,
  caches: { readonly keys: ProofKeys; readonly hashes: TokenHashes },
  accessToken: string | undefined,
): Promise<DpopProof> {
  let key: ProofKey | undefined
  let payload: JWTPayload
  try {
    // RFC 9449 §4.3 (6): the signature verifies with the key in the header, which jose hands to
    // `proofKey` once it has checked `alg` against the allowed ones: the header is read once.
    ;({ payload } = await jwtVerify(
      proof,
      async (header) => {
        key = await proofKey(header, caches.keys)
        return key.key
      },
      {
        typ: TYP,
        algorithms: settings.algorithms as string[],
        currentDate: new Date(settings.clock()),
        clockTolerance: settings.clockTolerance,
      },
    ))
  } catch (cause) {
    throw cause instanceof DpopProofError ? cause : new DpopProofError(reasonOf(cause), { cause })
  }

  const { jti, htm, htu, iat } = payload
  // RFC 9449 §4.3 (3): the required claims, of the right types.
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH)
    throw new DpopProofError('claims')
  if (typeof htm !== 'string' || typeof htu !== 'string' || typeof iat !== 'number')
    throw new DpopProofError('claims')
  // RFC 9449 §4.3 (8): the method of this request, compared exactly (methods are case-sensitive).
  if (htm !== request.method) throw new DpopProofError('method')
  // RFC 9449 §4.3 (9): this request's URL, without query and fragment.
  if (!sameTarget(htu, settings.requestUrl(request))) throw new DpopProofError('url')
  // RFC 9449 §4.3 (11), §11.1: issued within the window, and not in the future.
  const now = Math.floor(settings.clock() / 1000)
  if (iat > now + settings.clockTolerance || iat < now - settings.maxAge - settings.clockTolerance)
    throw new DpopProofError('issued_at')
  // RFC 9449 §4.3 (12), §7: the hash of the access token it comes with.
  if (accessToken !== undefined && payload.ath !== (await caches.hashes.get(accessToken)))
    throw new DpopProofError('token_hash')
  // RFC 9449 §4.3 (10), §8, §9: the server's nonce, when it hands them out.
  let fresh: string | undefined
  if (nonces !== undefined) {
    const nonce = typeof payload.nonce === 'string' ? await nonces.check(payload.nonce) : undefined
    if (!nonce?.accepted) throw new DpopNonceError(await nonces.current())
    fresh = nonce.fresh
  }

  const checked = { jkt: key!.jkt, jti, iat, jwk: key!.jwk }
  // RFC 9449 §9: a proof with the previous nonce is answered with the current one.
  return fresh === undefined ? checked : { ...checked, freshNonce: fresh }
}

/** The checks of the protected header, then its key, imported (or from the cache). */
function proofKey(header: JWTHeaderParameters, keys: ProofKeys): Promise<ProofKey> {
  // RFC 9449 §4.3 (4): the type is dpop+jwt. (jose would check it only after the signature.)
  if (header.typ !== TYP) throw new DpopProofError('type')
  // RFC 9449 §4.3 (7): the embedded key is a public key.
  const jwk = header.jwk
  if (typeof jwk !== 'object' || jwk === null || PRIVATE_MEMBERS.some((member) => member in jwk))
    throw new DpopProofError('key')
  // Anyone may send a proof: an RSA key's size and exponent bound what checking its signature costs.
  if (jwk.kty === 'RSA' && !(isShort(jwk.n, MAX_RSA_MODULUS) && isShort(jwk.e, MAX_RSA_EXPONENT)))
    throw new DpopProofError('key')
  // RFC 9449 §4.3 (5): `alg` is one of the allowed asymmetric ones, as jose has checked.
  return keys.get(jwk as Record<string, unknown>, header.alg)
}

/**
 * Whether `htu` names the request URL `url`: compared as they are (nearly every client sends the
 * URL itself), else after RFC 3986 normalisation (see `normalizeHtu`), both without query and
 * fragment.
 */
function sameTarget(htu: string, url: string): boolean {
  const end = url.search(/[?#]/)
  if (htu === (end === -1 ? url : url.slice(0, end))) return true
  const target = normalizeHtu(htu)
  return target !== undefined && target === normalizeHtu(url)
}

function isShort(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length <= max
}

/** Which check a jose failure is: the key, the signature, a claim (`exp`, `nbf`, `iat`) or the form. */
function reasonOf(error: unknown): DpopProofFailureReason {
  switch ((error as { code?: unknown } | null)?.code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'signature'
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'algorithm'
    case 'ERR_JWT_EXPIRED':
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return 'claims'
    case 'ERR_JOSE_NOT_SUPPORTED':
    case 'ERR_JWK_INVALID':
      return 'key'
    default:
      return 'malformed'
  }
}
