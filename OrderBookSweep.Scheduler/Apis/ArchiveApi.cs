using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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
        app.MapGet("/api/sweeps/{sweepId:long}/archive", GetSweepFile).WithTags("Archive");
        var history = app.MapGroup("/api/history").WithTags("Archive");
        // The symbol is one URL-encoded segment (BTC%2FUSDT): Kestrel leaves %2F encoded inside it.
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
