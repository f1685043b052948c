using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination;

/// <summary>
/// The latest order book per (exchange, symbol), kept for <see cref="CoordinationOptions.BookTtl"/>,
/// and a pub/sub notification per stored book for live consumers.
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
    public async Task<bool> PublishBookAsync(JobLease lease, BookSnapshot book, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(book);
        if (book.Exchange != lease.Job.Exchange || book.SweepId != lease.Job.SweepId)
        {
            throw new ArgumentException($"Book for {book.Exchange} (sweep {book.SweepId}) does not belong to job {lease.Job.Exchange} (sweep {lease.Job.SweepId}).", nameof(book));
        }

        Identifiers.Symbol(book.Symbol);
        var json = CoordinationJson.WriteUtf8(book);
        if (json.Length > _options.MaxBookBytes)
        {
            throw new ArgumentException($"Book {book.Exchange} {book.Symbol} is {json.Length} bytes, above MaxBookBytes ({_options.MaxBookBytes}).", nameof(book));
        }

        var key = _keys.Book(book.Exchange, book.Symbol);
        var notification = CoordinationJson.Write(new BookNotification(book.Exchange, book.Symbol, book.SweepId, key.ToString()));
        var stored = await CoordinationScripts.PublishBook.EvaluateAsync(_redis.GetDatabase(), new
        {
            leases = _keys.Leases,
            leaseInfo = _keys.LeaseInfo,
            book = key,
            bookSymbols = _keys.BookSymbols(book.Exchange),
            bookExchanges = _keys.BookExchanges,
            exchange = book.Exchange,
            symbol = book.Symbol,
            jobId = lease.JobId,
            token = lease.Token,
            bookJson = json,
            ttlMs = (long)_options.BookTtl.TotalMilliseconds,
            booksChannel = _keys.Books.ToString(),
            notification,
        });
        return (int)stored == 1;
    }

    /// <summary>The latest book, or null if none is stored (or it expired).</summary>
    /// <exception cref="InvalidDataException">The key holds something that is not a book.</exception>
    public async Task<BookSnapshot?> GetBookAsync(string exchange, string symbol, CancellationToken ct)
    {
        var key = _keys.Book(Identifiers.Exchange(exchange), Identifiers.Symbol(symbol));
        var value = await _redis.GetDatabase().StringGetAsync(key);
        return value.IsNull ? null : CoordinationJson.Read<BookSnapshot>(value.ToString(), key.ToString());
    }

    /// <summary>
    /// Subscribes to notifications of stored books; returns once subscribed, so nothing stored
    /// after this call returns is missed. Enumerate until <paramref name="ct"/> is cancelled.
    /// </summary>
    public async Task<IAsyncEnumerable<BookNotification>> SubscribeBooksAsync(CancellationToken ct)
    {
        var queue = await _redis.GetSubscriber().SubscribeAsync(_keys.Books);
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
