-- wrk: one header value per request, read from the file named first after `--`, one value a line.
-- Arguments: <file> <header> <once|cycle> [prefix].
--   once:  each value is sent once (DPoP proofs, RFC 9449: single-use); once they run out the header
--          says "exhausted", the server refuses, and the stretch fails rather than replay a value.
--   cycle: the values are taken in turn, again and again (forged tokens: run.mjs writes far more
--          than any memory of refused tokens holds, so none is answered from it).
-- `prefix` goes before each value ("Bearer " for a token in `authorization`).
local values = {}
local header, mode, prefix
local next = 0

function init(args)
  for line in io.lines(args[1]) do
    values[#values + 1] = line
  end
  header, mode, prefix = args[2], args[3], args[4] or ""
end

function request()
  if mode == "cycle" then
    next = next % #values + 1
    wrk.headers[header] = prefix .. values[next]
  else
    next = next + 1
    wrk.headers[header] = values[next] and prefix .. values[next] or "exhausted"
  end
  return wrk.format()
end
