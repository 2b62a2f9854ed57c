import type { IssuerConfig } from '../issuers/options.js'

/**
 * The token shapes of the major providers, from their public documentation (docs/providers/):
 * the `issuers` entry each page shows, an access token and an ID token as the provider writes
 * them, and what `getAuth` (so every RBAC guard) sees. Real issuer URLs become a local server's
 * (same paths); everything else is as documented.
 */
export interface Provider {
  /** The issuer's path, as the provider's issuer URLs have it. */
  readonly path: string
  /** The `issuers` entry of the provider's docs page, for this issuer URL. */
  config(issuer: string): IssuerConfig
  /** An access token's header and payload, as the provider's docs show one. */
  access(issuer: string): { header: Record<string, unknown>; payload: Record<string, unknown> }
  /** What `getAuth` (and so every RBAC guard) sees. */
  readonly rights: { roles: string[]; permissions: string[]; scopes: string[] }
  idToken(issuer: string): Record<string, unknown>
  /** How the ID token is refused. */
  readonly idTokenRefusal: { code: string; reason: string }
  /** A shared secret instead of a JWK Set (Supabase's legacy JWT secret). */
  readonly secret?: string
}

const now = Math.floor(Date.now() / 1000)

export const PROVIDERS: Record<string, Provider> = {
  auth0: {
    path: '/',
    config: (issuer) => ({
      issuer,
      audience: 'https://api.acme.example',
      roles: ['https://acme.example/roles'],
    }),
    access: (issuer) => ({
      header: { typ: 'JWT' },
      payload: {
        iss: issuer,
        sub: 'auth0|64f1c2a9e8b7d6c5b4a39281',
        aud: ['https://api.acme.example', `${issuer}userinfo`],
        iat: now,
        exp: now + 86_400,
        azp: 'Xb3kC0dQ9vLm2Tn7RsPz4Wy8',
        scope: 'openid profile read:orders',
        permissions: ['read:orders', 'write:orders'],
        'https://acme.example/roles': ['admin'],
      },
    }),
    rights: {
      roles: ['admin'],
      permissions: ['read:orders', 'write:orders'],
      scopes: ['openid', 'profile', 'read:orders'],
    },
    idToken: (issuer) => ({
      iss: issuer,
      sub: 'auth0|64f1c2a9e8b7d6c5b4a39281',
      aud: 'Xb3kC0dQ9vLm2Tn7RsPz4Wy8',
      iat: now,
      exp: now + 36_000,
      nonce: 'n-0S6_WzA2Mj',
      sid: 'kH3tG8',
      name: 'Alice',
    }),
    idTokenRefusal: { code: 'ERR_TOKEN_INVALID', reason: 'audience' },
  },
  keycloak: {
    path: '/realms/acme',
    config: (issuer) => ({
      issuer,
      audience: 'orders-api',
      roles: 'realm_access.roles',
      permissions: ['resource_access', 'orders-api', 'roles'],
    }),
    access: (issuer) => ({
      header: { typ: 'JWT' },
      payload: {
        exp: now + 300,
        iat: now,
        auth_time: now - 10,
        jti: 'onrtac:5c1b7a8e-2f4d-4f7a-9a0e-6d2b1c3e4f5a',
        iss: issuer,
        aud: ['orders-api', 'account'],
        sub: 'f1c4f64e-2c0c-4cda-8c9f-9f3f8f3a2b0e',
        typ: 'Bearer',
        azp: 'orders-web',
        sid: '4c0a3a8a-3a47-4f2f-8e89-9e5f9b0a0a0a',
        acr: '1',
        'allowed-origins': ['https://app.acme.example'],
        realm_access: { roles: ['default-roles-acme', 'offline_access', 'admin'] },
        resource_access: {
          'orders-api': { roles: ['orders:write'] },
          account: { roles: ['manage-account'] },
        },
        scope: 'openid profile email',
        email_verified: true,
        preferred_username: 'alice',
      },
    }),
    rights: {
      roles: ['default-roles-acme', 'offline_access', 'admin'],
      permissions: ['orders:write'],
      scopes: ['openid', 'profile', 'email'],
    },
    idToken: (issuer) => ({
      exp: now + 300,
      iat: now,
      jti: '1d8a0b7c-3e2f-4a5b-8c9d-0e1f2a3b4c5d',
      iss: issuer,
      aud: 'orders-web',
      sub: 'f1c4f64e-2c0c-4cda-8c9f-9f3f8f3a2b0e',
      typ: 'ID',
      azp: 'orders-web',
      nonce: 'n-0S6_WzA2Mj',
      at_hash: 'MTIzNDU2Nzg5MDEyMzQ1Ng',
    }),
    idTokenRefusal: { code: 'ERR_TOKEN_INVALID', reason: 'audience' },
  },
  'entra-id': {
    path: '/4f5c7a2e-9b1d-4e6f-8a3c-2d1e0f9b8a7c/v2.0',
    config: (issuer) => ({ issuer, audience: '6e74172b-be56-4843-9ff4-e66a39bb12e3' }),
    access: (issuer) => ({
      header: { typ: 'JWT' },
      payload: {
        aud: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
        iss: issuer,
        iat: now,
        nbf: now,
        exp: now + 4_500,
        aio: 'AWQAm/8UAAAA',
        azp: '0b2c4e6a-8d1f-4a3b-9c5d-7e9f1a3b5c7d',
        azpacr: '0',
        name: 'Alice',
        oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
        preferred_username: 'alice@acme.example',
        rh: '0.AAAA',
        roles: ['Orders.Admin'],
        scp: 'Orders.Read Orders.Write',
        sub: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
        tid: '4f5c7a2e-9b1d-4e6f-8a3c-2d1e0f9b8a7c',
        uti: 'fqiBqXLPj0eQa82S-IYFAA',
        ver: '2.0',
      },
    }),
    rights: { roles: ['Orders.Admin'], permissions: [], scopes: ['Orders.Read', 'Orders.Write'] },
    idToken: (issuer) => ({
      aud: '0b2c4e6a-8d1f-4a3b-9c5d-7e9f1a3b5c7d',
      iss: issuer,
      iat: now,
      nbf: now,
      exp: now + 3_600,
      name: 'Alice',
      nonce: 'n-0S6_WzA2Mj',
      oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      tid: '4f5c7a2e-9b1d-4e6f-8a3c-2d1e0f9b8a7c',
      ver: '2.0',
    }),
    idTokenRefusal: { code: 'ERR_TOKEN_INVALID', reason: 'audience' },
  },
  cognito: {
    path: '/eu-west-1_AbCdEf123',
    config: (issuer) => ({
      issuer,
      audience: false,
      requiredClaims: { token_use: 'access', client_id: '1example23456789' },
      roles: 'cognito:groups',
    }),
    access: (issuer) => ({
      header: {},
      payload: {
        sub: 'aaaaaaaa-bbbb-cccc-dddd-example',
        'cognito:groups': ['admin'],
        iss: issuer,
        version: 2,
        client_id: '1example23456789',
        origin_jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        event_id: 'bbbbbbbb-cccc-dddd-eeee-ffffffffffff',
        token_use: 'access',
        scope: 'openid orders/read',
        auth_time: now - 10,
        exp: now + 3_600,
        iat: now,
        jti: 'cccccccc-dddd-eeee-ffff-aaaaaaaaaaaa',
        username: 'alice',
      },
    }),
    rights: { roles: ['admin'], permissions: [], scopes: ['openid', 'orders/read'] },
    idToken: (issuer) => ({
      sub: 'aaaaaaaa-bbbb-cccc-dddd-example',
      'cognito:groups': ['admin'],
      iss: issuer,
      'cognito:username': 'alice',
      aud: '1example23456789',
      token_use: 'id',
      auth_time: now - 10,
      exp: now + 3_600,
      iat: now,
      email: 'alice@acme.example',
    }),
    idTokenRefusal: { code: 'ERR_TOKEN_TYPE', reason: 'id_token' },
  },
  clerk: {
    path: '',
    config: (issuer) => ({
      issuer,
      audience: false,
      requiredClaims: { azp: ['https://app.acme.example'] },
      roles: 'o.rol',
    }),
    access: (issuer) => ({
      header: { typ: 'JWT' },
      payload: {
        azp: 'https://app.acme.example',
        exp: now + 60,
        fva: [7, -1],
        iat: now,
        iss: issuer,
        nbf: now - 10,
        sid: 'sess_2abcdefghijklmnop',
        sts: 'active',
        sub: 'user_2abcdefghijklmnop',
        v: 2,
        o: { id: 'org_2abcdefghijklmnop', rol: 'admin', slg: 'acme' },
      },
    }),
    rights: { roles: ['admin'], permissions: [], scopes: [] },
    idToken: (issuer) => ({
      iss: issuer,
      sub: 'user_2abcdefghijklmnop',
      aud: 'oauth_client_2abcdef',
      iat: now,
      exp: now + 3_600,
      nonce: 'n-0S6_WzA2Mj',
      email: 'alice@acme.example',
    }),
    idTokenRefusal: { code: 'ERR_TOKEN_TYPE', reason: 'id_token' },
  },
  supabase: {
    path: '/auth/v1',
    secret: 'super-secret-jwt-token-with-at-least-32-characters-long',
    config: (issuer) => ({
      issuer,
      audience: 'authenticated',
      secret: 'super-secret-jwt-token-with-at-least-32-characters-long',
      roles: 'user_role',
    }),
    access: (issuer) => ({
      header: { typ: 'JWT' },
      payload: {
        iss: issuer,
        sub: '123e4567-e89b-12d3-a456-426614174000',
        aud: 'authenticated',
        exp: now + 3_600,
        iat: now,
        email: 'alice@acme.example',
        phone: '',
        app_metadata: { provider: 'email', providers: ['email'] },
        user_metadata: {},
        role: 'authenticated',
        aal: 'aal1',
        amr: [{ method: 'password', timestamp: now }],
        session_id: 'c2a5b7d9-0e1f-4a3b-8c5d-7e9f1a3b5c7d',
        is_anonymous: false,
        user_role: 'moderator',
      },
    }),
    rights: { roles: ['moderator'], permissions: [], scopes: [] },
    idToken: (issuer) => ({
      iss: issuer,
      sub: '123e4567-e89b-12d3-a456-426614174000',
      aud: 'supabase-oauth-client',
      iat: now,
      exp: now + 3_600,
      nonce: 'n-0S6_WzA2Mj',
      email: 'alice@acme.example',
    }),
    idTokenRefusal: { code: 'ERR_TOKEN_INVALID', reason: 'audience' },
  },
}
