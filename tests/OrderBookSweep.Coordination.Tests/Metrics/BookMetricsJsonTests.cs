using System.Text;
using System.Text.Json;
using OrderBookSweep.Coordination.Internal;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Tests.Metrics;

/// <summary>
/// The metrics' hand-written JSON: the same names, order and numbers the serialiser's per-property
/// path writes (a level's price and the configured bands in plain notation, as the levels are),
/// read back as the same metrics, and never another book's when books and index entries interleave.
/// </summary>
public sealed class BookMetricsJsonTests
{
    private static readonly DateTimeOffset FetchedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500);

    public static TheoryData<string> Cases() => [.. EdgeCases().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_what_the_serialiser_writes_and_reads_back(string name)
    {
        var metrics = EdgeCases().Single(c => c.Name == name).Metrics;

        var written = InBook(metrics);

        Same(Serialised(metrics), written);
        var read = CoordinationJson.Read<BookSnapshot>(Encoding.UTF8.GetString(Book(metrics)), "test").Metrics!;
        Same(Serialised(metrics), Serialised(read));
    }

    [Fact]
    public void Random_books_write_what_the_serialiser_writes()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var mid = Math.Pow(10, random.NextDouble() * 16 - 8);
            var levels = Enumerable.Range(1, random.Next(1, 60)).ToArray();
            var bids = levels.Select(l => new OrderBookLevel(mid * (1 - l * random.NextDouble() * 0.001), Math.Pow(10, random.NextDouble() * 8 - 3))).ToArray();
            var asks = levels.Select(l => new OrderBookLevel(mid * (1 + l * random.NextDouble() * 0.001), Math.Pow(10, random.NextDouble() * 8 - 3))).ToArray();
            var metrics = BookMetricsCalculator.Compute(bids, asks, Spot, 1_700_000_000_000, FetchedAt, MetricBands.Default);

            Same(Serialised(metrics), InBook(metrics));
        }
    }

    [Fact]
    public void A_book_and_an_index_entry_written_in_any_order_each_carry_their_own_metrics()
    {
        var (a, b) = (EdgeCases()[0].Metrics, EdgeCases()[1].Metrics);

        var bookA = InBook(a);
        var bookB = InBook(b);
        var entryA = InEntry(a);
        var entryB = InEntry(b);

        Same(Serialised(a), bookA);
        Same(Serialised(b), bookB);
        Same(Serialised(a), entryA);
        Same(Serialised(b), entryB);
    }

    [Fact]
    public void Books_of_other_bands_written_in_turn_each_carry_their_own_bands()
    {
        OrderBookLevel[] bids = [new(99.95, 1), new(99, 2), new(90, 3)], asks = [new(100.05, 1), new(101, 2), new(110, 3)];
        var wide = MetricBands.Create([0.1, 2, 50], [100, 1_000]);
        var metrics = new[] { MetricBands.Default, wide, MetricBands.Default, MetricBands.Create([0.25], [10]) }
            .Select(bands => BookMetricsCalculator.Compute(bids, asks, Spot, null, FetchedAt, bands))
            .ToList();

        foreach (var m in metrics)
        {
            Same(Serialised(m), InBook(m));
            Same(Serialised(m), InEntry(m));
        }
    }

    [Fact]
    public void A_market_is_written_as_the_serialiser_writes_it_and_each_payload_carries_its_own()
    {
        var swap = new MarketInfo(MarketType.Swap, "BTC", "USDT", "USDT", 0.001, Linear: true, Inverse: false);
        // Untrusted strings from an exchange: escaped as the serialiser escapes them.
        var hostile = new MarketInfo(MarketType.Spot, "<b>\"X\u2028", "Y\\", null, null, null, null);
        var metrics = EdgeCases()[0].Metrics;

        var inverse = new MarketInfo(MarketType.Future, "BTC", "USD", "BTC", 100, Linear: false, Inverse: true);
        var option = new MarketInfo(MarketType.Option, "ETH", "USD", "ETH", 1.5e-7, null, null);
        // What Redis may hold in place of a currency: read back, then served again.
        var unset = new MarketInfo(MarketType.Spot, null!, null!, null, null, null, null);
        var undeclared = Spot with { MarketType = (MarketType)7 };
        foreach (var market in new[] { swap, hostile, Spot, swap, inverse, option, unset, undeclared })
        {
            var book = SnapshotOf(metrics) with { Market = market };
            var bookJson = CoordinationJson.WriteUtf8(book);
            var entryJson = Entry(new MarketVenue("binance", 1, FetchedAt, market, metrics));

            var expected = JsonSerializer.Serialize(market, CoordinationJsonContext.Default.MarketInfo);
            Assert.Equal(expected, PropertyOf(bookJson, "market"));
            Assert.Equal(expected, PropertyOf(entryJson, "market"));
            Assert.Equal(market, CoordinationJson.Read<BookSnapshot>(Encoding.UTF8.GetString(bookJson), "test").Market);
            Assert.Equal(market, CoordinationJson.Read<MarketVenue>(Encoding.UTF8.GetString(entryJson), "test").Market);
        }
    }

    [Fact]
    public void An_index_entry_is_written_as_the_serialiser_writes_it()
    {
        var metrics = EdgeCases()[0].Metrics;
        var inverse = new MarketInfo(MarketType.Future, "BTC", "USD", "BTC", 100, Linear: false, Inverse: true);
        var entries = new[]
        {
            new MarketVenue("binance", 1, FetchedAt, Spot, metrics),
            new MarketVenue("coinbaseexchange", long.MaxValue, DateTimeOffset.UnixEpoch, inverse, EdgeCases()[4].Metrics),
            // Not an exchange id the system accepts, yet written as the serialiser would: escaped.
            new MarketVenue("<b>\"ex\u2028", -1, FetchedAt, Spot with { Base = "é" }, metrics),
        };

        foreach (var entry in entries)
        {
            Assert.Equal(Encoding.UTF8.GetString(CoordinationJson.WriteUtf8(entry)), Encoding.UTF8.GetString(Entry(entry)));
            var read = CoordinationJson.Read<MarketVenue>(Encoding.UTF8.GetString(Entry(entry)), "test");
            Assert.Equal((entry.Exchange, entry.SweepId, entry.FetchedAt, entry.Market), (read.Exchange, read.SweepId, read.FetchedAt, read.Market));
        }
    }

    [Fact]
    public void The_entries_of_one_call_keep_their_bytes_until_it_is_answered()
    {
        // More than one rented array's worth, each entry of its own metrics, a serialised one among them.
        var venues = Enumerable.Range(0, 300)
            .Select(i => new MarketVenue($"exchange{i}", i, FetchedAt.AddMilliseconds(i), Spot, EdgeCases()[i % 6].Metrics with { BidLevels = i }))
            .Append(new MarketVenue("binance", 1, FetchedAt, null!, EdgeCases()[0].Metrics))
            .ToArray();
        var output = new RentedBytes();
        var written = venues.Select(venue => MarketVenueJson.Write(venue, output)).ToArray();

        Assert.True(written.Sum(entry => entry.Length) > 64 * 1024);
        foreach (var (venue, entry) in venues.Zip(written))
        {
            Assert.Equal(Encoding.UTF8.GetString(CoordinationJson.WriteUtf8(venue)), Encoding.UTF8.GetString(entry.Span));
        }

        output.Return();
    }

    [Fact]
    public void A_metric_that_is_not_finite_fails_and_the_next_book_is_written_whole()
    {
        var good = EdgeCases()[0].Metrics;
        InBook(good);
        var bad = good with { SpreadBps = double.NaN };

        Assert.Throws<ArgumentException>(() => InBook(bad));
        Same(Serialised(good), InEntry(good));
        var fresh = good with { };
        Same(Serialised(good), InBook(fresh));
    }

    [Fact]
    public void Rounded_digits_are_written_as_the_rounded_number_would_be()
    {
        var random = new Random(11);
        Span<byte> direct = stackalloc byte[OrderBookLevelJsonConverter.MaxNumberLength];
        Span<byte> viaRound = stackalloc byte[OrderBookLevelJsonConverter.MaxNumberLength];
        var values = Enumerable.Range(0, 200_000)
            .Select(_ => (random.Next(2) == 0 ? -1 : 1) * Math.Pow(10, random.NextDouble() * 44 - 22))
            // Short decimals too, whose rounded digits end in zeros: 0.5, 1234.5, 0.00001234.
            .Concat(Enumerable.Range(0, 200_000).Select(_ => random.Next(-999_999, 1_000_000) * Math.Pow(10, random.Next(-20, 12))))
            .Concat([0, -0.0, 1e-300, 5e-16, 4.9e-16, 9_999_999_999.5, 1e10, 1e15, 1e15 - 1, 1e20, double.MaxValue, -double.MaxValue, double.Epsilon]);
        foreach (var value in values)
        {
            var expected = Encoding.ASCII.GetString(viaRound[..OrderBookLevelJsonConverter.FormatNumber(MetricNumberJsonConverter.Round(value), viaRound)]);
            Assert.Equal(expected, Encoding.ASCII.GetString(direct[..MetricNumberJsonConverter.Format(value, direct)]));
        }
    }

    [Fact]
    public void Rounding_keeps_the_largest_scale_that_leaves_fewer_than_11_digits()
    {
        var random = new Random(13);
        var powers = OrderBookLevelJsonConverter.PowersOfTen;
        // Near every power of ten, where the estimated scale is corrected, and between them.
        var values = Enumerable.Range(-330, 640).SelectMany(exponent => new[] { Math.Pow(10, exponent), Math.BitDecrement(Math.Pow(10, exponent)), Math.BitIncrement(Math.Pow(10, exponent)) })
            .Concat(Enumerable.Range(0, 200_000).Select(_ => (random.Next(2) == 0 ? -1 : 1) * Math.Pow(10, random.NextDouble() * 60 - 30)))
            .Concat(Enumerable.Range(0, 2_000).Select(_ => Math.Round(random.NextDouble() * 1e10) / 10 * powers[random.Next(powers.Length)]))
            .Concat([0, 9_999_999_999.5, 9_999_999_999.499999, double.MaxValue, double.Epsilon]);
        foreach (var value in values.Where(double.IsFinite))
        {
            // The definition: of the scales 15 down to 0, the first at which |value| × 10^scale is below 10^10.
            var magnitude = Math.Abs(value);
            var scale = powers.Length - 1;
            while (scale > 0 && magnitude * powers[scale] >= 1e10)
            {
                scale--;
            }

            var expected = Math.CopySign(Math.Round(magnitude * powers[scale]) / powers[scale], value);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(MetricNumberJsonConverter.Round(value)), $"{value:R} rounds to {expected:R}");
        }
    }

    [Fact]
    public void A_price_is_written_as_the_levels_are()
    {
        var random = new Random(12);
        Span<byte> exact = stackalloc byte[OrderBookLevelJsonConverter.MaxNumberLength];
        Span<byte> level = stackalloc byte[OrderBookLevelJsonConverter.MaxNumberLength];
        // Prices as exchanges quote them, which rounding to 10 digits leaves as they are, and doubles
        // of 17 digits, which it does not.
        var values = Enumerable.Range(0, 200_000).Select(_ => random.NextInt64(1, 10_000_000_000) / Math.Pow(10, random.Next(0, 16)))
            .Concat(Enumerable.Range(0, 200_000).Select(_ => Math.Pow(10, random.NextDouble() * 44 - 22)))
            .Concat([0, 0.00001234, 43_251.37, 9_999_999_999, 1e10, 12_345_678_901, 1e15, 1e-16, double.Epsilon, double.MaxValue]);
        foreach (var value in values)
        {
            var expected = Encoding.ASCII.GetString(level[..OrderBookLevelJsonConverter.FormatNumber(value, level)]);
            Assert.Equal(expected, Encoding.ASCII.GetString(exact[..MetricNumberJsonConverter.FormatExact(value, exact)]));
        }
    }

    private static readonly MarketInfo Spot = new(MarketType.Spot, "BTC", "USDT", null, null, null, null);

    private static (string Name, BookMetrics Metrics)[] EdgeCases() =>
    [
        ("computed", BookMetricsCalculator.Compute(
            [new(43_251.37, 0.5), new(43_251.36, 1.25), new(43_000, 3)],
            [new(43_251.38, 0.75), new(43_300.5, 2), new(44_000, 10)],
            Spot, 1_700_000_000_000, FetchedAt, MetricBands.Default)),
        ("one-sided", BookMetricsCalculator.Compute([new(0.00001234, 50_000_000)], [], Spot, null, FetchedAt, MetricBands.Default)),
        ("crossed, thin", BookMetricsCalculator.Compute([new(101, 1)], [new(100, 1)], Spot, 1_700_000_000_000, FetchedAt, MetricBands.Create([0.1, 50], [1, 1e15]))),
        ("option", BookMetricsCalculator.Compute([new(0.05, 3)], [new(0.06, 4)],
            new MarketInfo(MarketType.Option, "BTC", "USD", "BTC", 1, null, null), 1_700_000_000_900, FetchedAt, MetricBands.Default)),
        ("large and small", new BookMetrics(1e300, 2e300, 1.5e300, 6_666.666666666667, [new DepthBand(0.1, 1e-12, 123_456_789_012.345, 0, 1e22)],
            [new SlippageEstimate(1e15, null, -0.000_001_234_567_891_23)], 1, 1, false, long.MinValue)),
        ("empty lists", new BookMetrics(null, null, null, null, [], [], 0, 0, false, null)),
    ];

    private static BookSnapshot SnapshotOf(BookMetrics metrics) =>
        new("binance", "BTC/USDT", [], [], null, null, null, 1, "worker-1", FetchedAt, Spot, metrics);

    private static byte[] Book(BookMetrics metrics) => CoordinationJson.WriteUtf8(SnapshotOf(metrics));

    private static string InBook(BookMetrics metrics) => MetricsOf(Book(metrics));

    private static string InEntry(BookMetrics metrics) =>
        MetricsOf(Entry(new MarketVenue("binance", 1, FetchedAt, Spot, metrics)));

    /// <summary>An entry's bytes, written as for a call of its own.</summary>
    private static byte[] Entry(MarketVenue venue)
    {
        var output = new RentedBytes();
        var bytes = MarketVenueJson.Write(venue, output).ToArray();
        output.Return();
        return bytes;
    }

    /// <summary>The same JSON: names, order, literals and numbers (compared as doubles: 1.234E-05 is 0.00001234).</summary>
    private static void Same(string expected, string actual)
    {
        using var left = JsonDocument.Parse(expected);
        using var right = JsonDocument.Parse(actual);
        Assert.True(Equivalent(left.RootElement, right.RootElement), $"expected {expected}, written {actual}");
    }

    private static bool Equivalent(JsonElement a, JsonElement b) => (a.ValueKind, b.ValueKind) switch
    {
        (JsonValueKind.Object, JsonValueKind.Object) => a.EnumerateObject().Select(p => p.Name).SequenceEqual(b.EnumerateObject().Select(p => p.Name))
            && a.EnumerateObject().Zip(b.EnumerateObject()).All(p => Equivalent(p.First.Value, p.Second.Value)),
        (JsonValueKind.Array, JsonValueKind.Array) => a.GetArrayLength() == b.GetArrayLength()
            && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => Equivalent(p.First, p.Second)),
        (JsonValueKind.Number, JsonValueKind.Number) => a.GetDouble() == b.GetDouble(),
        _ => a.ValueKind == b.ValueKind && a.GetRawText() == b.GetRawText(),
    };

    private static string MetricsOf(byte[] payload) => PropertyOf(payload, "metrics");

    private static string PropertyOf(byte[] payload, string name)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.GetProperty(name).GetRawText();
    }

    /// <summary>The serialiser's own path for the metrics: each computed number through <see cref="MetricNumberJsonConverter"/>.</summary>
    private static string Serialised(BookMetrics metrics) => JsonSerializer.Serialize(metrics, CoordinationJsonContext.Default.BookMetrics);
}
