export * from './errors.js'
export * from './http/index.js'
export type { RevocationStore, TokenRef } from './revocation/store.js'
export type * from './types.js'
