/**
 * The arguments a protected handler was called with after the request, carried through
 * `withJwtAuth` without an array in the usual case: every runtime passes one argument after the
 * request (Bun its server, Deno the connection's info, Next.js the route's context). A rest array
 * handed from function to function is allocated on every request; packed here, JavaScriptCore keeps
 * none (on Bun that array and the collector's work for it were about 5 % of a served request's
 * instructions).
 */

/** No argument followed the request. */
const NONE: unique symbol = Symbol('no argument after the request')

/** Two or more arguments followed the request. */
class Several {
  constructor(readonly values: readonly unknown[]) {}
}

declare const packed: unique symbol
/** What `packArguments` made of a handler's arguments after the request; `callWith` unpacks it. */
export type PackedArguments = { readonly [packed]: true }

/** `rest` (a handler's arguments after the request), packed without an array for one argument. */
export function packArguments(rest: readonly unknown[]): PackedArguments {
  return (rest.length === 1 ? rest[0] : rest.length === 0 ? NONE : new Several(rest)) as PackedArguments
}

/** `handler(request, ...rest)` for the `rest` that `packArguments` packed: the very arguments, as many. */
export function callWith<Req, Rest extends unknown[], Result>(
  handler: (request: Req, ...rest: Rest) => Result,
  request: Req,
  rest: PackedArguments,
): Result {
  const call = handler as unknown as (request: Req, ...rest: unknown[]) => Result
  if ((rest as unknown) === NONE) return call(request)
  if (rest instanceof Several) return call(request, ...rest.values)
  return call(request, rest)
}
