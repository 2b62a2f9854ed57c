-- wrk: one header value per request, read from the file named first after `--`, one value a line.
-- Arguments: <file> <header> <once|cycle> [prefix].
--   once:  each value is sent once (DPoP proofs, RFC 9449: single-use); once they run out the header
--          says "exhausted", the server refuses, and the stretch fails rather than replay a value.
--   cycle: the values are taken in turn, again and again (forged tokens: run.mjs writes far more
--          than any memory of refused tokens holds, so none is answered from it; valid tokens of a
--          thousand sessions). Each value's whole request is built once, at start: building it
--          anew on every request (wrk.format) took so much of wrk's CPU that a bare Bun server
--          sent a thousand tokens in turn this way served 15-20 % fewer requests a second than one
--          sent a single token, its own CPU partly idle.
-- `prefix` goes before each value ("Bearer " for a token in `authorization`).
local values = {}
local requests = {}
local header, mode, prefix
local next = 0

function init(args)
  for line in io.lines(args[1]) do
    values[#values + 1] = line
  end
  header, mode, prefix = args[2], args[3], args[4] or ""
  if mode == "cycle" then
    for i, value in ipairs(values) do
      wrk.headers[header] = prefix .. value
      requests[i] = wrk.format()
    end
  end
end

function request()
  if mode == "cycle" then
    next = next % #requests + 1
    return requests[next]
  end
  next = next + 1
  wrk.headers[header] = values[next] and prefix .. values[next] or "exhausted"
  return wrk.format()
end
