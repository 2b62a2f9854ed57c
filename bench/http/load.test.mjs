import { describe, expect, it } from 'vitest'
import { parseWrk } from './load.mjs'

/** What wrk 4.1 prints with `--latency`, as it prints it. */
const printed = (tail) => `Running 2s test @ http://127.0.0.1:40001/me
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   788.23us  201.11us   6.30ms   91.40%
    Req/Sec    40.66k     1.93k   43.71k    80.00%
  Latency Distribution
     50%  751.00us
     75%  812.00us
     90%  902.00us
     99%    1.62ms
  80912 requests in 2.00s, 14.12MB read
${tail}Requests/sec:  40448.19
Transfer/sec:      7.06MB
`

describe("wrk's printed result", () => {
  it('gives requests per second, the count of requests and p99 in milliseconds', () => {
    expect(parseWrk(printed(''))).toEqual({ rps: 40448.19, total: 80912, p99: 1.62, non2xx: 0, errors: 0 })
  })

  it('counts the answers that were not 2xx or 3xx, and every kind of socket error', () => {
    const tail = '  Socket errors: connect 0, read 2, write 1, timeout 4\n  Non-2xx or 3xx responses: 80912\n'
    expect(parseWrk(printed(tail))).toMatchObject({ non2xx: 80912, errors: 7 })
  })

  it('reads a p99 printed in microseconds or seconds', () => {
    expect(parseWrk(printed('').replace('1.62ms', '912.00us')).p99).toBeCloseTo(0.912)
    expect(parseWrk(printed('').replace('1.62ms', '1.20s')).p99).toBe(1200)
  })
})
