using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Scheduler.Archive;

namespace OrderBookSweep.Scheduler.Apis;

/// <summary>The archive read back (docs/api.md, "Archive"): a sweep's Parquet files, a book's metrics over time, a past book.</summary>
public static class ArchiveApi
{
    /// <summary>The media type registered for Parquet.</summary>
    public const string ParquetMediaType = "application/vnd.apache.parquet";

    public static IEndpointRouteBuilder MapArchiveApi(this IEndpointRouteBuilder app)
    {
        // A file result says nothing of itself to OpenAPI: its 200 and media type are named here.
        app.MapGet("/api/sweeps/{sweepId:long}/archive", GetSweepFile).WithTags("Archive")
            .Produces(StatusCodes.Status200OK, contentType: ParquetMediaType);
        var history = app.MapGroup("/api/history").WithTags("Archive");
        // The symbol is one URL-encoded segment (BTC%2FUSDT): Kestrel leaves %2F encoded inside it.
        history.MapGet("/{exchange}/{symbol}", GetSeries)
            .Produces<HistorySeries>(StatusCodes.Status200OK, "application/json", "text/csv");
        history.MapGet("/{exchange}/{symbol}/book", GetBook);
        return app;
    }

    public static Results<PhysicalFileHttpResult, NotFound, ValidationProblem> GetSweepFile(
        long sweepId, [FromQuery] string? part, ArchiveLayout layout)
    {
        if (!TryParsePart(part, out var archivePart))
        {
            return Invalid("part", "part must be books, metrics or outcomes.");
        }

        return layout.Find(archivePart, sweepId) is { } file
            ? TypedResults.PhysicalFile(file, ParquetMediaType, $"sweep-{sweepId}-{ArchiveLayout.Folder(archivePart)}.parquet")
            : TypedResults.NotFound();
    }

    /// <summary>The range a series covers when <c>from</c> is not given: the 30 days up to <c>to</c>.</summary>
    public static readonly TimeSpan DefaultSeriesRange = TimeSpan.FromDays(30);

    public static async Task<Results<Ok<HistorySeries>, ContentHttpResult, ValidationProblem>> GetSeries(
        string exchange, string symbol, [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? fields, [FromQuery] string? format,
        ArchiveReader reader, SweepArchiveWriter writer, IOptions<ArchiveOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        symbol = Uri.UnescapeDataString(symbol ?? "");
        if (BookProblem(exchange, symbol) is { } problem)
        {
            return problem;
        }

        if (!TryParseTime(to, time.GetUtcNow(), out var end))
        {
            return Invalid("to", $"to '{to}' is not a time: use ISO 8601 (2026-12-06T03:00:00Z) or Unix milliseconds.");
        }

        if (!TryParseTime(from, end - DefaultSeriesRange, out var start))
        {
            return Invalid("from", $"from '{from}' is not a time: use ISO 8601 (2026-12-06T03:00:00Z) or Unix milliseconds.");
        }

        if (start > end)
        {
            return Invalid("from", $"from ({start:O}) is after to ({end:O}).");
        }

        var maxDays = options.Value.MaxQueryDays;
        if (end - start > TimeSpan.FromDays(maxDays))
        {
            return Invalid("to", $"The range from..to spans {(end - start).TotalDays:0.#} days; at most {maxDays} (Archive:MaxQueryDays).");
        }

        var known = MetricRows.Fields(writer.Bands);
        var asked = string.IsNullOrEmpty(fields) ? known : fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = asked.Where(f => !known.Contains(f, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0 || asked.Count == 0)
        {
            return Invalid("fields", $"Unknown fields: {string.Join(", ", unknown.Select(f => $"'{f}'"))}. Known: {string.Join(", ", known)}.");
        }

        if (format is not (null or "json" or "csv"))
        {
            return Invalid("format", "format is json (the default) or csv.");
        }

        var distinct = asked.Distinct(StringComparer.Ordinal).ToList();
        var points = await reader.GetSeriesAsync(exchange, symbol, start, end, distinct, cancellationToken);
        return format == "csv"
            ? TypedResults.Text(HistoryCsv.Write(distinct, points), "text/csv; charset=utf-8")
            : TypedResults.Ok(new HistorySeries(exchange, symbol, start, end, distinct, points));
    }

    public static async Task<Results<Ok<ArchivedBook>, NotFound, ValidationProblem>> GetBook(
        string exchange, string symbol, [FromQuery] string? at, ArchiveReader reader, TimeProvider time, CancellationToken cancellationToken)
    {
        symbol = Uri.UnescapeDataString(symbol ?? "");
        if (BookProblem(exchange, symbol) is { } problem)
        {
            return problem;
        }

        if (!TryParseTime(at, time.GetUtcNow(), out var when))
        {
            return Invalid("at", $"at '{at}' is not a time: use ISO 8601 (2026-12-06T03:00:00Z) or Unix milliseconds.");
        }

        return await reader.GetBookAsync(exchange, symbol, when, cancellationToken) is { } book
            ? TypedResults.Ok(book)
            : TypedResults.NotFound();
    }

    private static ValidationProblem? BookProblem(string exchange, string symbol) =>
        !ExchangeIds.IsWellFormed(exchange) ? Invalid("exchange", $"'{exchange}' is not an exchange id: {ExchangeIds.Rule}.")
        : symbol.Length is 0 or > 200 || symbol.Any(char.IsControl) ? Invalid("symbol", "The symbol is 1-200 printable characters, URL-encoded (BTC%2FUSDT).")
        : null;

    private static bool TryParsePart(string? part, out ArchivePart value)
    {
        foreach (var (candidate, name) in StoredName<ArchivePart>.All)
        {
            if (part == name)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>ISO 8601 (a time without an offset is UTC) or Unix milliseconds; absent: <paramref name="fallback"/>.</summary>
    internal static bool TryParseTime(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            value = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    private static ValidationProblem Invalid(string name, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [name] = [message] });
}

/// <summary>A book's metrics over time: the range asked for, the fields, one point per archived sweep that holds the book.</summary>
public sealed record HistorySeries(string Exchange, string Symbol, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> Fields, IReadOnlyList<HistoryPoint> Points);
