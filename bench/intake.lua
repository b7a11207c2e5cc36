-- POST a ticket with a 500-byte description and the demo customer's bearer token.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("KEFU_BENCH_TOKEN")
local description = string.rep("充值未到账 deposit not credited TxID 0xabc ", 12):sub(1, 500)
wrk.body = '{"category":"deposit_withdrawal","subject":"USDT deposit not credited","description":"' .. description .. '"}'

function done(summary, latency, requests)
  io.write(string.format("JSON {\"requests\":%d,\"duration_us\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"errors\":%d,\"non2xx\":%d}\n",
    summary.requests, summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
