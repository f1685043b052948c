using System.Runtime.InteropServices;
using System.Text.Json;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Worker.Exchanges;

/// <summary>
/// One ccxt exchange instance inside the engine, known by its handle. If the engine restarted since
/// the instance was created, the next call creates it again in the new process (ccxt then reloads
/// its markets by itself).
/// </summary>
internal sealed class CcxtExchangeSession(CcxtNodeEngine engine, string exchangeId) : IExchangeSession
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _openLock = new(1, 1);
    private Instance? _instance;
    private int _disposed;

    private sealed record Instance(EngineProcess Process, long Handle, TimeSpan RateLimit);

    public string ExchangeId => exchangeId;

    /// <summary>ccxt's interval between calls of weight 1 for this exchange, after Exchanges:RateLimitScale.</summary>
    internal TimeSpan? RateLimit => _instance?.RateLimit;

    public async Task<IReadOnlyList<string>> LoadMarketsAsync(CancellationToken cancellationToken)
    {
        var open = await OpenAsync(cancellationToken);
        return await open.Process.CallAsync<IReadOnlyList<string>>(
            "loadMarkets",
            writer => writer.WriteNumber("handle", open.Handle),
            result => result.EnumerateArray().Select(symbol => symbol.GetString()!).ToArray(),
            engine.Options.CallTimeout, exchangeId, cancellationToken);
    }

    public async Task<OrderBook> FetchOrderBookAsync(string symbol, int? limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var depth = limit ?? engine.Options.BookDepth;
        var open = await OpenAsync(cancellationToken);
        return await open.Process.CallAsync(
            "fetchOrderBook",
            writer =>
            {
                writer.WriteNumber("handle", open.Handle);
                writer.WriteString("symbol", symbol);
                if (depth is { } d)
                {
                    writer.WriteNumber("limit", d);
                }
            },
            book => ParseOrderBook(book, exchangeId), engine.Options.CallTimeout, exchangeId, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        var open = _instance;
        _instance = null;
        if (open is { Process.HasExited: false })
        {
            try
            {
                await open.Process.CallAsync<object?>("close", writer => writer.WriteNumber("handle", open.Handle),
                    _ => null, CloseTimeout, exchangeId, CancellationToken.None);
            }
            catch (Exception)
            {
                // Closing is best effort by contract: the instance dies with the engine anyway.
            }
        }
        _openLock.Dispose();
        engine.SessionClosed();
    }

    internal async Task<(EngineProcess Process, long Handle)> OpenAsync(CancellationToken cancellationToken)
    {
        if (_instance is { Process.HasExited: false } ready)
        {
            return (ready.Process, ready.Handle);
        }
        await _openLock.WaitAsync(cancellationToken);
        try
        {
            if (_instance is not { Process.HasExited: false })
            {
                var process = await engine.GetProcessAsync(cancellationToken);
                _instance = await process.CallAsync("create", WriteCreateArguments,
                    result => new Instance(process, result.GetProperty("handle").GetInt64(), TimeSpan.FromMilliseconds(result.GetProperty("rateLimitMs").GetDouble())),
                    engine.Options.CallTimeout, exchangeId, cancellationToken);
                process.Created(exchangeId);
            }
            return (_instance.Process, _instance.Handle);
        }
        finally
        {
            _openLock.Release();
        }
    }

    private void WriteCreateArguments(Utf8JsonWriter writer)
    {
        var options = engine.Options;
        writer.WriteString("exchangeId", exchangeId);
        writer.WriteStartObject("options");
        writer.WriteBoolean("enableRateLimit", options.EnableRateLimit);
        writer.WriteNumber("rateLimitScale", options.RateLimitScale);
        writer.WriteBoolean("fastJsonParser", options.FastJsonParser);
        writer.WriteNumber("requestTimeoutMs", (long)options.RequestTimeout.TotalMilliseconds);
        writer.WriteStartArray("marketTypes");
        foreach (var type in options.MarketTypes)
        {
            writer.WriteStringValue(type);
        }
        writer.WriteEndArray();
        if (options.MaxSymbolsPerExchange is { } max)
        {
            writer.WriteNumber("maxSymbols", max);
        }
        else
        {
            writer.WriteNull("maxSymbols");
        }
        writer.WriteString("redirectBaseUrl", options.RedirectBaseUrl);
        writer.WriteEndObject();
    }

    internal static OrderBook ParseOrderBook(JsonElement book, string exchangeId)
    {
        // engine.js packs the levels: price, amount of each bid then each ask, as float64 in
        // base64. A level is two doubles, so the bytes are the levels as they are.
        var levels = MemoryMarshal.Cast<byte, OrderBookLevel>(book.GetProperty("levels").GetBytesFromBase64());
        var bidCount = book.GetProperty("bidCount").GetInt32();
        var symbol = book.GetProperty("symbol").GetString()!;
        foreach (var level in levels)
        {
            if (!level.IsFinite)
            {
                throw new ExchangeException("MalformedOrderBook", isRetryable: false, exchangeId,
                    $"{exchangeId} {symbol}: a level is not a pair of finite numbers: [{level.Price}, {level.Amount}].");
            }
        }

        return new OrderBook(
            symbol,
            levels[..bidCount].ToArray(),
            levels[bidCount..].ToArray(),
            GetInt64OrNull(book.GetProperty("timestamp")),
            book.GetProperty("datetime").GetString(),
            GetInt64OrNull(book.GetProperty("nonce")),
            book.TryGetProperty("market"u8, out var market) ? ParseMarket(market) : null);
    }

    /// <summary>
    /// ccxt's market as engine.js passes it, or null where it gives nothing usable: an unknown
    /// type, no base or quote. A contract size that is not a positive number is left unknown (the
    /// metrics then give no depth or slippage); a margin market trades as spot.
    /// </summary>
    internal static MarketInfo? ParseMarket(JsonElement market)
    {
        if (market.ValueKind != JsonValueKind.Array || market.GetArrayLength() != MarketTermCount)
        {
            return null;
        }

        var type = MarketTypeOf(market[0]);
        var @base = StringOrNull(market[1]);
        var quote = StringOrNull(market[2]);
        if (type is not { } marketType || !MarketInfo.IsCurrency(@base) || !MarketInfo.IsCurrency(quote))
        {
            return null;
        }

        var settle = StringOrNull(market[3]);
        var size = market[4];
        return new MarketInfo(
            marketType,
            @base,
            quote,
            MarketInfo.IsCurrency(settle) ? settle : null,
            size.ValueKind == JsonValueKind.Number && size.GetDouble() is > 0 and var s && double.IsFinite(s) ? s : null,
            BooleanOrNull(market[5]),
            BooleanOrNull(market[6]));
    }

    /// <summary>engine.js's marketTerms: type, base, quote, settle, contractSize, linear, inverse, in that order.</summary>
    private const int MarketTermCount = 7;

    /// <summary>ccxt's market type, its name compared as UTF-8 bytes (this runs for every book); null for one we do not know.</summary>
    private static MarketType? MarketTypeOf(JsonElement name)
    {
        if (name.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        if (name.ValueEquals("spot"u8) || name.ValueEquals("margin"u8))
        {
            return MarketType.Spot;
        }

        if (name.ValueEquals("swap"u8))
        {
            return MarketType.Swap;
        }

        if (name.ValueEquals("future"u8) || name.ValueEquals("delivery"u8))
        {
            return MarketType.Future;
        }

        return name.ValueEquals("option"u8) ? MarketType.Option : null;
    }

    private static string? StringOrNull(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool? BooleanOrNull(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static long? GetInt64OrNull(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
