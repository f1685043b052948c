-- Stores a batch of one exchange's order books only while the job lease is held (late results
-- never overwrite), each with a TTL, records them in the book and market indexes, and announces
-- each on @booksChannel. All or none: the fence is checked once and the script runs atomically.
-- Book i (from 0): its keys KEYS[@bookKeys + 4i .. + 4i + 3] (the book, then its symbol's venues,
-- entries and base list below); its symbol, JSON, notification and market entry are
-- ARGV[@books + 4i .. + 4i + 3].
-- The book index (BookIndex): @bookSymbols scores each symbol of one exchange, and @bookExchanges
-- each exchange, by when its newest book expires (server ms). Entries of the exchange already
-- past their score are pruned here, so its set holds the symbols with a live book plus any that
-- expired since its last book.
-- The market index (MarketIndex), for a book whose market entry is not '' (one with metrics):
-- venues scores each exchange with a book of the symbol by when that book expires, entries holds
-- each exchange's entry (its sweep, time, market and metrics), and the base list scores each
-- symbol of one market type and base currency by when its newest book expires. Venues past their
-- score leave both venues and entries here; each key lives as long as the newest book written to
-- it (every writer passes the same TTL), so a symbol no longer swept leaves no keys behind.
-- Written in the same script as the books: no book without its entries, and no extra command per batch.
if not holds(@leases, @leaseInfo, @jobId, @token) then return 0 end
local expiresAt = ms(now + tonumber(@ttlMs))
local past = '(' .. ms(now)
for i = 0, (#KEYS - @bookKeys - 3) / 4 do
  local book, venues, entries, bases = KEYS[@bookKeys + 4 * i], KEYS[@bookKeys + 4 * i + 1], KEYS[@bookKeys + 4 * i + 2], KEYS[@bookKeys + 4 * i + 3]
  local symbol, json, notification, entry = ARGV[@books + 4 * i], ARGV[@books + 4 * i + 1], ARGV[@books + 4 * i + 2], ARGV[@books + 4 * i + 3]
  redis.call('SET', book, json, 'PX', @ttlMs)
  redis.call('ZADD', @bookSymbols, expiresAt, symbol)
  if entry ~= '' then
    local gone = redis.call('ZRANGEBYSCORE', venues, '-inf', past)
    if #gone > 0 then
      -- One HDEL each: Garnet's Lua has no unpack, and a venue expires rarely.
      for _, exchange in ipairs(gone) do redis.call('HDEL', entries, exchange) end
      redis.call('ZREMRANGEBYSCORE', venues, '-inf', past)
    end
    redis.call('ZADD', venues, expiresAt, @exchange)
    redis.call('HSET', entries, @exchange, entry)
    redis.call('ZADD', bases, expiresAt, symbol)
    redis.call('ZREMRANGEBYSCORE', bases, '-inf', past)
    redis.call('PEXPIRE', venues, @ttlMs)
    redis.call('PEXPIRE', entries, @ttlMs)
    redis.call('PEXPIRE', bases, @ttlMs)
  end
  redis.call('PUBLISH', @booksChannel, notification)
end
redis.call('ZREMRANGEBYSCORE', @bookSymbols, '-inf', past)
redis.call('ZADD', @bookExchanges, expiresAt, @exchange)
return 1
