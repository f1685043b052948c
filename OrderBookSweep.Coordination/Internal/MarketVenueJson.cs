using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// A market index entry, written with every stored book: the generated serialiser's JSON for
/// <see cref="MarketVenue"/>, put together from the market's and metrics' JSON that the book has
/// just written (<see cref="LastWrittenJsonConverter{T}"/>), into the arrays of its Redis call
/// (<see cref="RentedBytes"/>), and read back by the serialiser.
/// </summary>
/// <remarks>
/// Through the serialiser a payload this small costs more in its set-up (a rented writer and
/// buffer, the per-property path) than in its bytes (the seam benchmark's notes, "The book path's metrics").
/// </remarks>
internal static class MarketVenueJson
{
    private static readonly MarketInfoJsonConverter Markets = new();
    private static readonly BookMetricsJsonConverter Metrics = new();

    /// <summary>Bytes of everything but the id, the market and the metrics: the names and three integers of at most 20 digits.</summary>
    private const int HeadBytes = 64 + 3 * 20;

    /// <summary>
    /// Writes the entry into <paramref name="output"/>: its bytes, valid until the output is
    /// returned; through the serialiser if it lacks its market or metrics.
    /// </summary>
    public static ReadOnlyMemory<byte> Write(MarketVenue venue, RentedBytes output)
    {
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(output);
        if (venue is not { Exchange: { } exchange, Market: { } market, Metrics: { } metrics })
        {
            var serialised = CoordinationJson.WriteUtf8(venue);
            serialised.CopyTo(output.Room(serialised.Length));
            return output.Commit(serialised.Length);
        }

        // An exchange id is at most 64 plain characters (ExchangeIds); anything longer still fits, on the heap.
        var headBytes = HeadBytes + JsonText.MaxStringLength(exchange.Length);
        var head = new JsonText(headBytes <= 1024 ? stackalloc byte[headBytes] : new byte[headBytes]);
        head.Raw("{\"v\":"u8);
        head.Formatted(venue.V);
        head.Raw(",\"exchange\":"u8);
        head.String(exchange);
        head.Raw(",\"sweepId\":"u8);
        head.Formatted(venue.SweepId);
        head.Raw(",\"fetchedAt\":"u8);
        head.Formatted(venue.FetchedAt.ToUnixTimeMilliseconds());
        head.Raw(",\"market\":"u8);

        // Each valid until this thread writes another of its kind; neither writes the other.
        var marketJson = Markets.JsonOf(market);
        var metricsJson = Metrics.JsonOf(metrics);
        var length = head.Length + marketJson.Length + MetricsName.Length + metricsJson.Length + 1;
        var text = new JsonText(output.Room(length));
        text.Raw(head.Written);
        text.Raw(marketJson);
        text.Raw(MetricsName);
        text.Raw(metricsJson);
        text.Raw("}"u8);
        return output.Commit(length);
    }

    private static ReadOnlySpan<byte> MetricsName => ",\"metrics\":"u8;
}
