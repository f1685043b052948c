-- Stores a batch of one exchange's order books only while the job lease is held (late results
-- never overwrite), each with a TTL, records them in the book index, and announces each on
-- @booksChannel. All or none: the fence is checked once and the script runs atomically.
-- Book i (from 0): its key KEYS[@bookKeys + i]; its symbol, JSON and notification are
-- ARGV[@books + 3i], ARGV[@books + 3i + 1] and ARGV[@books + 3i + 2].
-- The book index (BookIndex): @bookSymbols scores each symbol of one exchange, and @bookExchanges
-- each exchange, by when its newest book expires (server ms). Entries of the exchange already
-- past their score are pruned here, so its set holds the symbols with a live book plus any that
-- expired since its last book. Written in the same script as the books: no book without its
-- entry, and no extra command per batch.
if not holds(@leases, @leaseInfo, @jobId, @token) then return 0 end
local expiresAt = ms(now + tonumber(@ttlMs))
for i = 0, #KEYS - @bookKeys do
  local symbol, json, notification = ARGV[@books + 3 * i], ARGV[@books + 3 * i + 1], ARGV[@books + 3 * i + 2]
  redis.call('SET', KEYS[@bookKeys + i], json, 'PX', @ttlMs)
  redis.call('ZADD', @bookSymbols, expiresAt, symbol)
  redis.call('PUBLISH', @booksChannel, notification)
end
redis.call('ZREMRANGEBYSCORE', @bookSymbols, '-inf', '(' .. ms(now))
redis.call('ZADD', @bookExchanges, expiresAt, @exchange)
return 1
