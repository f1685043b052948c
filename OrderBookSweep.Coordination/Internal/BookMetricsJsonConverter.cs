using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// <see cref="BookMetrics"/> written as one raw value: the names, order and numbers the generated
/// serialiser would write (camelCase, declared order, nulls written out; a level's price and the
/// configured bands in plain notation, as the levels are), and read by it.
/// </summary>
/// <remarks>
/// Metrics are some 40 numbers stored with every book and again in its market index entry
/// (the seam benchmark's notes, "The book path's metrics"): through the serialiser's per-property path they cost about
/// half of a 100-level book's own serialisation. Written here by hand, once for a book and its
/// index entry (<see cref="LastWrittenJsonConverter{T}"/>).
/// </remarks>
internal sealed class BookMetricsJsonConverter : LastWrittenJsonConverter<BookMetrics>
{
    /// <summary>Bytes of everything but the numbers and the bands: the names, brackets, commas and booleans.</summary>
    private const int FixedBytes = 192;
    private const int MaxIntegerLength = 20;
    private const int BytesPerDepthBand = 96 + 5 * OrderBookLevelJsonConverter.MaxNumberLength;
    private const int BytesPerSlippage = 64 + 3 * OrderBookLevelJsonConverter.MaxNumberLength;

    [ThreadStatic]
    private static ItemPrefixes? _percents, _notionals;

    public override BookMetrics? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, CoordinationJsonContext.Default.BookMetrics);

    private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

    private static bool Same(double? a, double? b) => a is { } x ? b is { } y && Same(x, y) : b is null;

    protected override void Format(BookMetrics metrics, IBufferWriter<byte> json)
    {
        var depth = metrics.Depth;
        var slippage = metrics.Slippage;
        var bound = FixedBytes + 4 * OrderBookLevelJsonConverter.MaxNumberLength + 3 * MaxIntegerLength
            + (depth?.Count ?? 0) * BytesPerDepthBand + (slippage?.Count ?? 0) * BytesPerSlippage;
        var percents = _percents ??= new("{\"percent\":"u8, ",\"bidBase\":"u8);
        var notionals = _notionals ??= new("{\"notional\":"u8, ",\"buyBps\":"u8);
        var text = new JsonText(json.GetSpan(bound));
        text.Raw("{\"bestBid\":"u8);
        text.Number(metrics.BestBid, rounded: false);
        text.Raw(",\"bestAsk\":"u8);
        text.Number(metrics.BestAsk, rounded: false);
        text.Raw(",\"mid\":"u8);
        text.Number(metrics.Mid, rounded: true);
        text.Raw(",\"spreadBps\":"u8);
        text.Number(metrics.SpreadBps, rounded: true);
        text.Raw(",\"depth\":"u8);
        List<DepthBand, DepthFigures>(ref text, depth, percents);
        text.Raw(",\"slippage\":"u8);
        List<SlippageEstimate, SlippageFigures>(ref text, slippage, notionals);
        text.Raw(",\"bidLevels\":"u8);
        text.Formatted(metrics.BidLevels);
        text.Raw(",\"askLevels\":"u8);
        text.Formatted(metrics.AskLevels);
        text.Raw(metrics.Crossed ? ",\"crossed\":true,\"ageMs\":"u8 : ",\"crossed\":false,\"ageMs\":"u8);
        text.Formatted(metrics.AgeMs);
        text.Raw("}"u8);
        json.Advance(text.Length);
    }

    /// <summary>
    /// What <see cref="List{T, TFigures}"/> needs of an item: the key of its prefix, whether
    /// its figures are those of the item before, and its figures. Static members of a struct, not
    /// delegates: each list's loop is compiled for its own items, the calls inlined.
    /// </summary>
    private interface IItemFigures<in T>
    {
        static abstract double Key(T item);

        static abstract bool Repeats(T previous, T item);

        static abstract void Write(ref JsonText text, T item);
    }

    private readonly struct DepthFigures : IItemFigures<DepthBand>
    {
        public static double Key(DepthBand band) => band.Percent;

        public static bool Repeats(DepthBand previous, DepthBand band) =>
            Same(previous.BidBase, band.BidBase) && Same(previous.AskBase, band.AskBase) && Same(previous.BidQuote, band.BidQuote) && Same(previous.AskQuote, band.AskQuote);

        public static void Write(ref JsonText text, DepthBand band)
        {
            text.Number(band.BidBase, rounded: true);
            text.Raw(",\"askBase\":"u8);
            text.Number(band.AskBase, rounded: true);
            text.Raw(",\"bidQuote\":"u8);
            text.Number(band.BidQuote, rounded: true);
            text.Raw(",\"askQuote\":"u8);
            text.Number(band.AskQuote, rounded: true);
            text.Raw("}"u8);
        }
    }

    private readonly struct SlippageFigures : IItemFigures<SlippageEstimate>
    {
        public static double Key(SlippageEstimate estimate) => estimate.Notional;

        public static bool Repeats(SlippageEstimate previous, SlippageEstimate estimate) =>
            Same(previous.BuyBps, estimate.BuyBps) && Same(previous.SellBps, estimate.SellBps);

        public static void Write(ref JsonText text, SlippageEstimate estimate)
        {
            text.Number(estimate.BuyBps, rounded: true);
            text.Raw(",\"sellBps\":"u8);
            text.Number(estimate.SellBps, rounded: true);
            text.Raw("}"u8);
        }
    }

    /// <summary>
    /// The start of each item of a list up to its first figure, <c>{"percent":0.1,"bidBase":</c>,
    /// kept per position: a service writes the same configured bands into every book.
    /// </summary>
    private sealed class ItemPrefixes(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail)
    {
        private readonly byte[] _head = head.ToArray(), _tail = tail.ToArray();
        private long[] _keys = [];
        private byte[]?[] _prefixes = [];

        public ReadOnlySpan<byte> Of(int index, double key)
        {
            if (index >= _keys.Length)
            {
                Array.Resize(ref _keys, Math.Max(index + 1, MetricBands.MaxCount));
                Array.Resize(ref _prefixes, _keys.Length);
            }

            // Compared bit for bit: a NaN is never equal, so it reaches the check below every time.
            var bits = BitConverter.DoubleToInt64Bits(key);
            if (_prefixes[index] is not { } prefix || _keys[index] != bits)
            {
                if (!double.IsFinite(key))
                {
                    MetricNumberJsonConverter.ThrowNotFinite(key, nameof(key));
                }

                Span<byte> number = stackalloc byte[OrderBookLevelJsonConverter.MaxNumberLength];
                prefix = [.. _head, .. number[..OrderBookLevelJsonConverter.FormatNumber(key, number)], .. _tail];
                (_prefixes[index], _keys[index]) = (prefix, bits);
            }

            return prefix;
        }
    }

    /// <summary>
    /// A JSON array of the items, null for no list: each item's prefix (its band, the same in
    /// every book, formatted once), then its figures, written by <typeparamref name="TFigures"/>,
    /// or copied from the item before when they are the same (bands that no level lies between,
    /// notionals past the side's volume).
    /// </summary>
    private static void List<T, TFigures>(ref JsonText text, IReadOnlyList<T>? list, ItemPrefixes prefixes)
        where TFigures : struct, IItemFigures<T>
    {
        if (list is null)
        {
            text.Raw("null"u8);
            return;
        }

        var items = ReadOnlyLists.AsSpan(list);
        text.Raw("["u8);
        var (figuresStart, figuresEnd) = (0, 0);
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0)
            {
                text.Raw(","u8);
            }

            text.Raw(prefixes.Of(i, TFigures.Key(items[i])));
            if (i > 0 && TFigures.Repeats(items[i - 1], items[i]))
            {
                text.Repeat(figuresStart, figuresEnd);
                continue;
            }

            figuresStart = text.Length;
            TFigures.Write(ref text, items[i]);
            figuresEnd = text.Length;
        }

        text.Raw("]"u8);
    }
}
