-- wrk: one fresh DPoP proof per request (RFC 9449 proofs are single-use), read from the file
-- named after `--`, one proof a line, made by run.mjs just before the stretch. Once they run out,
-- the header says so, the server answers 401, and the stretch fails rather than replay a proof.
local proofs = {}
local next = 0

function init(args)
  for line in io.lines(args[1]) do
    proofs[#proofs + 1] = line
  end
end

function request()
  next = next + 1
  wrk.headers["DPoP"] = proofs[next] or "exhausted"
  return wrk.format()
end
