-- wrk script (bench/latency.sh, wrk_latency with a pace): each connection waits the milliseconds given after `--`
-- between an answer and its next request. wrk times a request from its sending, so the wait is not in its latency.
local pace = 0

function init(args)
  pace = tonumber(args[1]) or 0
end

function delay()
  return pace
end
