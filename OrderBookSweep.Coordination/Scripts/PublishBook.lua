-- Stores an order book only while the job lease is held (late results never overwrite), with a
-- TTL, and announces it on @booksChannel.
if not holds(@leases, @leaseInfo, @jobId, @token) then return 0 end
redis.call('SET', @book, @bookJson, 'PX', @ttlMs)
redis.call('PUBLISH', @booksChannel, @notification)
return 1
