-- wrk: a different token on every request (replacing the `authorization` header given with -H), read
-- from the file named after `--`, one token a line,
-- taken in turn (run.mjs writes far more than any memory of refused tokens holds, so none of them
-- is ever answered from it).
local tokens = {}
local next = 0

function init(args)
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = line
  end
end

function request()
  next = next % #tokens + 1
  wrk.headers["authorization"] = "Bearer " .. tokens[next]
  return wrk.format()
end
