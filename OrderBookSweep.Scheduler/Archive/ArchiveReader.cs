using System.Data.Common;
using DuckDB.NET.Data;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Scheduler.Archive;

/// <summary>
/// Reads the archive back with embedded DuckDB, which queries Parquet files in place: it reads
/// only the row groups whose statistics can match (each exchange of a file has row groups of its own)
/// and only the columns asked for. One in-memory database; each query on a connection of its own
/// (DuckDB's connections are not shared between threads). Footers are not cached between queries:
/// the series files are rewritten under the same names, and a series opens some 30 of them.
/// </summary>
public sealed class ArchiveReader : IDisposable
{
    /// <summary>How far from <c>at</c> the closest book is looked for: the date folders of the day before, the day and the day after.</summary>
    public const int BookSearchDays = 1;

    private readonly ArchiveLayout _layout;
    private readonly SeriesIndex _series;
    private readonly DuckDBConnection _database;

    public ArchiveReader(ArchiveLayout layout, SeriesIndex series)
    {
        _layout = layout;
        _series = series;
        _database = new DuckDBConnection("DataSource=:memory:");
        _database.Open();
    }

    /// <summary>
    /// One book's metrics in every archived sweep fetched from <paramref name="from"/> to
    /// <paramref name="to"/>, oldest first. <paramref name="fields"/> are metrics columns the caller
    /// has checked against <see cref="MetricRows.Fields"/>: they are written into the query as names.
    /// Each day is read from its series file of the exchange, and from the metrics files of the
    /// day's archived sweeps that file does not hold yet (merged moments after they are archived).
    /// </summary>
    public async Task<IReadOnlyList<HistoryPoint>> GetSeriesAsync(
        string exchange, string symbol, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string> fields, CancellationToken ct)
    {
        var retired = ArchiveRetention.RetiredUpTo(_layout);
        var files = new List<string>();
        for (var date = DateOnly.FromDateTime(from.UtcDateTime); date <= DateOnly.FromDateTime(to.UtcDateTime); date = date.AddDays(1))
        {
            if (_layout.SeriesFile(date, exchange) is { } series && File.Exists(series))
            {
                files.Add(series);
            }

            files.AddRange(_series.Unmerged(date, retired)
                .Select(s => _layout.File(ArchivePart.Metrics, s.SweepId, date))
                .Where(File.Exists));
        }

        if (files.Count == 0)
        {
            return [];
        }

        await using var connection = Connect();
        // Files written with other bands lack some columns: union_by_name reads those as null. Rows of
        // retired sweeps stay in a day's series file until the whole day is retired: the id leaves them out.
        await using var command = Command(connection, $"""
            SELECT sweep_id, epoch_ms(fetched_at){string.Concat(fields.Select(f => ", " + f))}
            FROM read_parquet({FileList(files)}, union_by_name = true, hive_partitioning = false)
            WHERE exchange = $exchange AND symbol = $symbol AND epoch_ms(fetched_at) BETWEEN $from AND $to AND sweep_id > $retired
            ORDER BY fetched_at, sweep_id
            """, ("exchange", exchange), ("symbol", symbol), ("from", from.ToUnixTimeMilliseconds()), ("to", to.ToUnixTimeMilliseconds()), ("retired", retired));
        await using var rows = await command.ExecuteReaderAsync(ct);
        var points = new List<HistoryPoint>();
        while (await rows.ReadAsync(ct))
        {
            // A sweep merged while this day was listed is in both its series file and its own: once.
            var sweepId = rows.GetInt64(0);
            if (points.Count > 0 && points[^1].SweepId == sweepId)
            {
                continue;
            }

            var values = new Dictionary<string, object?>(fields.Count, StringComparer.Ordinal);
            for (var i = 0; i < fields.Count; i++)
            {
                values[fields[i]] = rows.IsDBNull(i + 2) ? null : rows.GetValue(i + 2);
            }

            points.Add(new HistoryPoint(sweepId, DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(1)), values));
        }

        return points;
    }

    /// <summary>The archived book of (exchange, symbol) fetched closest to <paramref name="at"/>, or null if none is within <see cref="BookSearchDays"/>.</summary>
    public async Task<ArchivedBook?> GetBookAsync(string exchange, string symbol, DateTimeOffset at, CancellationToken ct)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        var files = _layout.Files(ArchivePart.Books, day.AddDays(-BookSearchDays), day.AddDays(BookSearchDays));
        if (files.Count == 0)
        {
            return null;
        }

        await using var connection = Connect();
        long sweepId;
        await using (var find = Command(connection, $"""
            SELECT sweep_id, filename FROM read_parquet({FileList(files)}, filename = true)
            WHERE exchange = $exchange AND symbol = $symbol AND level = 0
            ORDER BY abs(epoch_ms(fetched_at) - $at), sweep_id DESC LIMIT 1
            """, ("exchange", exchange), ("symbol", symbol), ("at", at.ToUnixTimeMilliseconds())))
        await using (var found = await find.ExecuteReaderAsync(ct))
        {
            if (!await found.ReadAsync(ct))
            {
                return null;
            }

            sweepId = found.GetInt64(0);
            files = [found.GetString(1)];
        }

        await using var levels = Command(connection, $"""
            SELECT side, price, amount, market_type, epoch_ms(fetched_at), epoch_ms(exchange_ts)
            FROM read_parquet({FileList(files)})
            WHERE exchange = $exchange AND symbol = $symbol
            ORDER BY side DESC, level
            """, ("exchange", exchange), ("symbol", symbol));
        await using var rows = await levels.ExecuteReaderAsync(ct);
        List<OrderBookLevel> bids = [], asks = [];
        string? marketType = null;
        long fetchedAt = 0;
        long? exchangeTs = null;
        while (await rows.ReadAsync(ct))
        {
            (rows.GetString(0) == BookRows.Bid ? bids : asks).Add(new OrderBookLevel(rows.GetDouble(1), rows.GetDouble(2)));
            marketType = rows.IsDBNull(3) ? null : rows.GetString(3);
            fetchedAt = rows.GetInt64(4);
            exchangeTs = rows.IsDBNull(5) ? null : rows.GetInt64(5);
        }

        return new ArchivedBook(exchange, symbol, sweepId, marketType, DateTimeOffset.FromUnixTimeMilliseconds(fetchedAt),
            exchangeTs is { } ts ? DateTimeOffset.FromUnixTimeMilliseconds(ts) : null, bids, asks);
    }

    public void Dispose() => _database.Dispose();

    private DuckDBConnection Connect()
    {
        var connection = _database.Duplicate();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            connection.Open();
        }

        return connection;
    }

    private static DbCommand Command(DuckDBConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value));
        }

        return command;
    }

    /// <summary>
    /// The files as a DuckDB list literal. They are paths this service built under its own
    /// root (never a client's string); quotes are doubled all the same.
    /// </summary>
    internal static string FileList(IEnumerable<string> files) => "[" + string.Join(", ", files.Select(Literal)) + "]";

    /// <summary>A string as a DuckDB literal, quotes doubled.</summary>
    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>A book as the archive holds it: levels best first, each <c>[price, amount]</c>.</summary>
public sealed record ArchivedBook(
    string Exchange,
    string Symbol,
    long SweepId,
    string? MarketType,
    DateTimeOffset FetchedAt,
    DateTimeOffset? ExchangeTs,
    IReadOnlyList<OrderBookLevel> Bids,
    IReadOnlyList<OrderBookLevel> Asks);

/// <summary>One book's metrics in one sweep: each asked field's number (a flag for <c>crossed</c>), null where the book gives none.</summary>
public sealed record HistoryPoint(long SweepId, DateTimeOffset FetchedAt, IReadOnlyDictionary<string, object?> Values);
