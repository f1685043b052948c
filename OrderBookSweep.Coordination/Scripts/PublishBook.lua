-- Stores an order book only while the job lease is held (late results never overwrite), with a
-- TTL, records it in the book index, and announces it on @booksChannel.
-- The book index (BookIndex): @bookSymbols scores each symbol of one exchange, and @bookExchanges
-- each exchange, by when its newest book expires (server ms). Entries of the exchange already
-- past their score are pruned here, so its set holds the symbols with a live book plus any that
-- expired since its last book. Written in the same script as the book: no book without its entry,
-- and no extra command per book.
if not holds(@leases, @leaseInfo, @jobId, @token) then return 0 end
local expiresAt = ms(now + tonumber(@ttlMs))
redis.call('SET', @book, @bookJson, 'PX', @ttlMs)
redis.call('ZADD', @bookSymbols, expiresAt, @symbol)
redis.call('ZREMRANGEBYSCORE', @bookSymbols, '-inf', '(' .. ms(now))
redis.call('ZADD', @bookExchanges, expiresAt, @exchange)
redis.call('PUBLISH', @booksChannel, @notification)
return 1
