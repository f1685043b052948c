using System.Globalization;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Metrics;
using Parquet.Schema;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// The metrics file: one row per book, its <see cref="BookMetrics"/> flattened into columns
/// (docs/archive.md, "metrics"): one column per depth band and side (<c>bid_quote_1pct</c>) and per
/// slippage notional and direction (<c>buy_bps_100000</c>), for the bands this service is set to.
/// </summary>
internal sealed class MetricRows : ParquetRows
{
    /// <summary>The columns every metrics file has, whatever its bands: what a history query may always ask for.</summary>
    public static readonly IReadOnlyList<string> FixedFields =
        ["best_bid", "best_ask", "mid", "spread_bps", "bid_levels", "ask_levels", "crossed", "age_ms"];

    /// <summary>A quarter of the narrow tables' row groups: a row here is some 50 columns wide.</summary>
    private const int WideRowGroupRows = DefaultRowGroupRows / 4;

    private readonly ValueColumn<long> _sweepId;
    private readonly StringColumn _exchange, _symbol, _marketType;
    private readonly ValueColumn<DateTime> _fetchedAt;
    private readonly NullableColumn<double> _bestBid, _bestAsk, _mid, _spreadBps;
    private readonly ValueColumn<int> _bidLevels, _askLevels;
    private readonly ValueColumn<bool> _crossed;
    private readonly NullableColumn<long> _ageMs;
    private readonly MetricBands _bands;
    private readonly NullableColumn<double>[] _depth, _slippage;

    public MetricRows(MetricBands bands)
        : this(bands, Depth(bands), Slippage(bands))
    {
    }

    private MetricRows(MetricBands bands, NullableColumn<double>[] depth, NullableColumn<double>[] slippage)
        : this(
            bands, depth, slippage,
            new ValueColumn<long>(new DataField<long>("sweep_id", false)),
            new StringColumn(new DataField<string>("exchange", false)),
            new StringColumn(new DataField<string>("symbol", false)),
            new StringColumn(new DataField<string>("market_type", true)),
            new ValueColumn<DateTime>(ArchiveFields.Timestamp("fetched_at", nullable: false)),
            Number("best_bid"), Number("best_ask"), Number("mid"), Number("spread_bps"),
            new ValueColumn<int>(new DataField<int>("bid_levels", false)),
            new ValueColumn<int>(new DataField<int>("ask_levels", false)),
            new ValueColumn<bool>(new DataField<bool>("crossed", false)),
            new NullableColumn<long>(new DataField<long?>("age_ms", true)))
    {
    }

    private MetricRows(
        MetricBands bands, NullableColumn<double>[] depth, NullableColumn<double>[] slippage,
        ValueColumn<long> sweepId, StringColumn exchange, StringColumn symbol, StringColumn marketType, ValueColumn<DateTime> fetchedAt,
        NullableColumn<double> bestBid, NullableColumn<double> bestAsk, NullableColumn<double> mid, NullableColumn<double> spreadBps,
        ValueColumn<int> bidLevels, ValueColumn<int> askLevels, ValueColumn<bool> crossed, NullableColumn<long> ageMs)
        : base(WideRowGroupRows, [sweepId, exchange, symbol, marketType, fetchedAt, bestBid, bestAsk, mid, spreadBps, bidLevels, askLevels, crossed, ageMs, .. depth, .. slippage])
    {
        (_bands, _depth, _slippage) = (bands, depth, slippage);
        (_sweepId, _exchange, _symbol, _marketType, _fetchedAt, _bestBid, _bestAsk, _mid, _spreadBps, _bidLevels, _askLevels, _crossed, _ageMs) =
            (sweepId, exchange, symbol, marketType, fetchedAt, bestBid, bestAsk, mid, spreadBps, bidLevels, askLevels, crossed, ageMs);
    }

    /// <summary>Every metric column of files written with <paramref name="bands"/>, in file order.</summary>
    public static IReadOnlyList<string> Fields(MetricBands bands) =>
        [.. FixedFields, .. Depth(bands).Select(c => c.Field.Name), .. Slippage(bands).Select(c => c.Field.Name)];

    public long SweepIdAt(int row) => _sweepId.Values[row];

    public string ExchangeAt(int row) => _exchange.Values[row]!;

    public string SymbolAt(int row) => _symbol.Values[row]!;

    public DateTime FetchedAtAt(int row) => _fetchedAt.Values[row];

    public void Add(BookSnapshot book, string? marketType, BookMetrics metrics)
    {
        Reserve(1);
        var row = Count++;
        _sweepId.Values[row] = book.SweepId;
        _exchange.Values[row] = book.Exchange;
        _symbol.Values[row] = book.Symbol;
        _marketType.Values[row] = marketType;
        _fetchedAt.Values[row] = book.FetchedAt.UtcDateTime;
        _bestBid.Values[row] = metrics.BestBid;
        _bestAsk.Values[row] = metrics.BestAsk;
        _mid.Values[row] = metrics.Mid;
        _spreadBps.Values[row] = metrics.SpreadBps;
        _bidLevels.Values[row] = metrics.BidLevels;
        _askLevels.Values[row] = metrics.AskLevels;
        _crossed.Values[row] = metrics.Crossed;
        _ageMs.Values[row] = metrics.AgeMs;
        for (var k = 0; k < _bands.DepthPercents.Count; k++)
        {
            // Matched by value: a book's metrics carry the bands they were computed with.
            var band = metrics.Depth?.FirstOrDefault(d => d.Percent == _bands.DepthPercents[k]);
            _depth[4 * k].Values[row] = band?.BidBase;
            _depth[4 * k + 1].Values[row] = band?.AskBase;
            _depth[4 * k + 2].Values[row] = band?.BidQuote;
            _depth[4 * k + 3].Values[row] = band?.AskQuote;
        }

        for (var n = 0; n < _bands.SlippageNotionals.Count; n++)
        {
            var estimate = metrics.Slippage?.FirstOrDefault(s => s.Notional == _bands.SlippageNotionals[n]);
            _slippage[2 * n].Values[row] = estimate?.BuyBps;
            _slippage[2 * n + 1].Values[row] = estimate?.SellBps;
        }
    }

    private static NullableColumn<double> Number(string name) => new(new DataField<double?>(name, true));

    private static NullableColumn<double>[] Depth(MetricBands bands) =>
        [.. bands.DepthPercents.SelectMany(p => new[] { "bid_base", "ask_base", "bid_quote", "ask_quote" }.Select(measure => Number($"{measure}_{Name(p)}pct")))];

    private static NullableColumn<double>[] Slippage(MetricBands bands) =>
        [.. bands.SlippageNotionals.SelectMany(n => new[] { "buy_bps", "sell_bps" }.Select(measure => Number($"{measure}_{Name(n)}")))];

    /// <summary>0.1 as <c>0_1</c>, 100000 as <c>100000</c>: a column name needs no quoting in SQL.</summary>
    private static string Name(double value) => value.ToString("0.##########", CultureInfo.InvariantCulture).Replace('.', '_');
}
