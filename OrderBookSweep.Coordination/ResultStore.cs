using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using OrderBookSweep.Coordination.Metrics;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// The latest order book per (exchange, symbol), kept for <see cref="CoordinationOptions.BookTtl"/>,
/// and a pub/sub notification per stored book for live consumers. A book with metrics also
/// enters the market index (<see cref="MarketIndex"/>) in the same script.
/// </summary>
public sealed class ResultStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly CoordinationOptions _options;
    private readonly CoordinationKeys _keys;

    public ResultStore(IConnectionMultiplexer redis, IOptions<CoordinationOptions> options)
    {
        _redis = redis;
        _options = options.Value;
        _keys = new CoordinationKeys(_options.KeyPrefix);
    }

    /// <summary>Stores a book fenced by the job lease: false (nothing written) once the lease is lost.</summary>
    /// <exception cref="ArgumentException">The book is not for the lease's exchange or sweep, has a bad symbol, or is larger than MaxBookBytes.</exception>
    public Task<bool> PublishBookAsync(JobLease lease, BookSnapshot book, CancellationToken ct) =>
        PublishBooksAsync(lease, [book], ct);

    /// <summary>
    /// Stores books of the lease's exchange in one call, fenced by the job lease: all of them, or
    /// none (false) once the lease is lost. One call for several books saves Redis and the
    /// caller a round trip and a script run per book.
    /// </summary>
    /// <exception cref="ArgumentException">A book is not for the lease's exchange or sweep, has a bad symbol or currency, or is larger than MaxBookBytes; nothing is stored.</exception>
    public async Task<bool> PublishBooksAsync(JobLease lease, IReadOnlyList<BookSnapshot> books, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(books);
        if (books.Count == 0)
        {
            return true;
        }

        var keys = new RedisKey[4 * books.Count];
        var values = new RedisValue[4 * books.Count];
        var entries = new RentedBytes();
        for (var i = 0; i < books.Count; i++)
        {
            var book = books[i] ?? throw new ArgumentException("A book is null.", nameof(books));
            if (book.Exchange != lease.Job.Exchange || book.SweepId != lease.Job.SweepId)
            {
                throw new ArgumentException($"Book for {book.Exchange} (sweep {book.SweepId}) does not belong to job {lease.Job.Exchange} (sweep {lease.Job.SweepId}).", nameof(books));
            }

            Identifiers.Symbol(book.Symbol);
            var json = CoordinationJson.WriteUtf8(book);
            if (json.Length > _options.MaxBookBytes)
            {
                throw new ArgumentException($"Book {book.Exchange} {book.Symbol} is {json.Length} bytes, above MaxBookBytes ({_options.MaxBookBytes}).", nameof(books));
            }

            var key = _keys.Book(book.Exchange, book.Symbol);
            keys[4 * i] = key;
            keys[4 * i + 1] = _keys.MarketVenues(book.Symbol);
            keys[4 * i + 2] = _keys.MarketEntries(book.Symbol);
            values[4 * i] = book.Symbol;
            values[4 * i + 1] = json;
            values[4 * i + 2] = CoordinationJson.Write(new BookNotification(book.Exchange, book.Symbol, book.SweepId, key.ToString()));
            if (book is { Market: { } market, Metrics: { } metrics })
            {
                if (!MarketInfo.IsCurrency(market.Base) || !MarketInfo.IsCurrency(market.Quote))
                {
                    throw new ArgumentException($"Book {book.Exchange} {book.Symbol} has a market whose base or quote is not a currency code.", nameof(books));
                }

                keys[4 * i + 3] = _keys.MarketSymbols(market.MarketType, market.Base);
                values[4 * i + 3] = MarketVenueJson.Write(new MarketVenue(book.Exchange, book.SweepId, book.FetchedAt, market, metrics), entries);
            }
            else
            {
                // Not in the market index (the script skips it on the empty entry); still a key of its own in KEYS.
                keys[4 * i + 3] = _keys.MarketSymbols(MarketType.Spot, "");
                values[4 * i + 3] = "";
            }
        }

        var exchange = lease.Job.Exchange;
        var stored = await CoordinationScripts.PublishBooks.EvaluateAsync(_redis.GetDatabase(), new
        {
            leases = _keys.Leases,
            leaseInfo = _keys.LeaseInfo,
            bookSymbols = _keys.BookSymbols(exchange),
            bookExchanges = _keys.BookExchanges,
            exchange,
            jobId = lease.JobId,
            token = lease.Token,
            ttlMs = (long)_options.BookTtl.TotalMilliseconds,
            booksChannel = _keys.Books.ToString(),
            bookKeys = keys,
            books = values,
        }, ct);

        // Answered, so sent: the entries' arrays may serve the next call.
        entries.Return();
        return (int)stored == 1;
    }

    /// <summary>The latest book, or null if none is stored (or it expired).</summary>
    /// <exception cref="InvalidDataException">The key holds something that is not a book.</exception>
    public async Task<BookSnapshot?> GetBookAsync(string exchange, string symbol, CancellationToken ct)
    {
        var key = _keys.Book(Identifiers.Exchange(exchange), Identifiers.Symbol(symbol));
        var value = await UnreadableData.GuardAsync($"key '{key}'", () => _redis.GetDatabase().StringGetAsync(key).WaitAsync(ct));
        return value.IsNull ? null : CoordinationJson.Read<BookSnapshot>(value.ToString(), key.ToString());
    }

    /// <summary>
    /// The books one exchange stored in one sweep that are still in Redis, in symbol order
    /// (ordinal), read <paramref name="batchSize"/> at a time from the book index: never the
    /// whole exchange in memory. Only books of <paramref name="sweepId"/> fetched at or after
    /// <paramref name="since"/> (the start of the attempt that recorded the outcome: an earlier
    /// attempt's books of a retried job are left out). A book already replaced by a later sweep,
    /// expired, or unreadable is not returned: the caller compares the count with the outcome's.
    /// </summary>
    public async IAsyncEnumerable<BookSnapshot> ReadSweepBooksAsync(
        long sweepId, string exchange, DateTimeOffset? since, int batchSize, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var db = _redis.GetDatabase();
        var symbols = (await db.SortedSetRangeByRankAsync(_keys.BookSymbols(Identifiers.Exchange(exchange))))
            .Select(s => s.ToString())
            .Order(StringComparer.Ordinal)
            .ToArray();
        for (var start = 0; start < symbols.Length; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            var batch = symbols.AsMemory(start, Math.Min(batchSize, symbols.Length - start));
            var keys = new RedisKey[batch.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = _keys.Book(exchange, batch.Span[i]);
            }

            var values = await db.StringGetAsync(keys);
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i].IsNull)
                {
                    continue;
                }

                BookSnapshot book;
                try
                {
                    book = CoordinationJson.Read<BookSnapshot>(values[i].ToString(), keys[i].ToString());
                }
                catch (InvalidDataException)
                {
                    continue;
                }

                if (book.SweepId == sweepId && book.Exchange == exchange && (since is null || book.FetchedAt >= since))
                {
                    yield return book;
                }
            }
        }
    }

    /// <summary>
    /// Subscribes to notifications of stored books; returns once subscribed, so nothing stored
    /// after this call returns is missed. Enumerate until <paramref name="ct"/> is cancelled.
    /// </summary>
    public async Task<IAsyncEnumerable<BookNotification>> SubscribeBooksAsync(CancellationToken ct)
    {
        var queue = await _redis.GetSubscriber().SubscribeAsync(_keys.Books).WaitAsync(ct);
        return ReadBooksAsync(queue, ct);
    }

    private static async IAsyncEnumerable<BookNotification> ReadBooksAsync(ChannelMessageQueue queue, [EnumeratorCancellation] CancellationToken ct)
    {
        try
        {
            while (true)
            {
                ChannelMessage message;
                try
                {
                    message = await queue.ReadAsync(ct);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                BookNotification? notification = null;
                try
                {
                    notification = JsonSerializer.Deserialize(message.Message.ToString(), CoordinationJsonContext.Default.BookNotification);
                }
                catch (JsonException)
                {
                    // Someone else's message on our channel: not a book notification, skip it.
                }

                if (notification is not null)
                {
                    yield return notification;
                }
            }
        }
        finally
        {
            await queue.UnsubscribeAsync();
        }
    }
}
