using OrderBookSweep.Coordination;
using Parquet.Schema;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// The books file: one row per price level (docs/archive.md, "books"), bids then asks of each
/// book, best level first (<c>level</c> 0).
/// </summary>
internal sealed class BookRows : ParquetRows
{
    /// <summary>
    /// About 80 books of 100 levels a side. The writer's peak memory is mostly one row group being
    /// encoded and compressed: a quarter of the narrow tables' size keeps it well under its 150 MiB
    /// for files some 6% larger (docs/archive.md, "Figures").
    /// </summary>
    private const int BookRowGroupRows = DefaultRowGroupRows / 4;

    private readonly ValueColumn<long> _sweepId;
    private readonly StringColumn _exchange, _symbol, _marketType, _side;
    private readonly ValueColumn<DateTime> _fetchedAt;
    private readonly NullableColumn<DateTime> _exchangeTs;
    private readonly ValueColumn<int> _level;
    private readonly ValueColumn<double> _price, _amount;

    public BookRows()
        : this(
            new ValueColumn<long>(new DataField<long>("sweep_id", false)),
            new StringColumn(new DataField<string>("exchange", false)),
            new StringColumn(new DataField<string>("symbol", false)),
            new StringColumn(new DataField<string>("market_type", true)),
            new ValueColumn<DateTime>(ArchiveFields.Timestamp("fetched_at", nullable: false)),
            new NullableColumn<DateTime>(ArchiveFields.Timestamp("exchange_ts", nullable: true)),
            new StringColumn(new DataField<string>("side", false)),
            new ValueColumn<int>(new DataField<int>("level", false)),
            new ValueColumn<double>(new DataField<double>("price", false)),
            new ValueColumn<double>(new DataField<double>("amount", false)))
    {
    }

    private BookRows(
        ValueColumn<long> sweepId, StringColumn exchange, StringColumn symbol, StringColumn marketType, ValueColumn<DateTime> fetchedAt,
        NullableColumn<DateTime> exchangeTs, StringColumn side, ValueColumn<int> level, ValueColumn<double> price, ValueColumn<double> amount)
        : base(BookRowGroupRows, sweepId, exchange, symbol, marketType, fetchedAt, exchangeTs, side, level, price, amount)
    {
        (_sweepId, _exchange, _symbol, _marketType, _fetchedAt, _exchangeTs, _side, _level, _price, _amount) =
            (sweepId, exchange, symbol, marketType, fetchedAt, exchangeTs, side, level, price, amount);
    }

    public const string Bid = "bid", Ask = "ask";

    public void Add(BookSnapshot book, string? marketType)
    {
        Reserve(book.Bids.Count + book.Asks.Count);
        var fetchedAt = book.FetchedAt.UtcDateTime;
        DateTime? exchangeTs = book.Timestamp is { } ms ? ArchiveFields.FromUnixMs(ms) : null;
        AddSide(book, marketType, fetchedAt, exchangeTs, Bid, book.Bids);
        AddSide(book, marketType, fetchedAt, exchangeTs, Ask, book.Asks);
    }

    private void AddSide(BookSnapshot book, string? marketType, DateTime fetchedAt, DateTime? exchangeTs, string side, IReadOnlyList<OrderBookLevel> levels)
    {
        for (var i = 0; i < levels.Count; i++)
        {
            var row = Count++;
            _sweepId.Values[row] = book.SweepId;
            _exchange.Values[row] = book.Exchange;
            _symbol.Values[row] = book.Symbol;
            _marketType.Values[row] = marketType;
            _fetchedAt.Values[row] = fetchedAt;
            _exchangeTs.Values[row] = exchangeTs;
            _side.Values[row] = side;
            _level.Values[row] = i;
            _price.Values[row] = levels[i].Price;
            _amount.Values[row] = levels[i].Amount;
        }
    }
}
