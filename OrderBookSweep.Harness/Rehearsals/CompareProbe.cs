using System.Net;

namespace OrderBookSweep.Harness.Rehearsals;

/// <summary>
/// The compare endpoints once a sweep's books are all stored: GET /api/markets/{symbol} for the
/// symbols on the most venues (the largest answers), and GET /api/markets?base= for their base
/// currencies across the usual quotes, one request after another.
/// </summary>
public static class CompareProbe
{
    private const int Symbols = 100;
    private const int SymbolRounds = 4;
    private const int BaseRounds = 10;
    private const string Quotes = "USDT,USDC,USD";

    public static async Task<CompareLatencies> RunAsync(HttpClient scheduler, IEnumerable<(string Exchange, string Symbol)> storedBooks)
    {
        var widest = storedBooks
            .GroupBy(book => book.Symbol)
            .OrderByDescending(symbol => symbol.Select(book => book.Exchange).Distinct().Count())
            .ThenBy(symbol => symbol.Key, StringComparer.Ordinal)
            .Take(Symbols)
            .Select(symbol => symbol.Key)
            .ToList();
        var bases = widest.Select(symbol => symbol.Split('/')[0]).Distinct().ToList();

        var failures = 0;
        var bySymbol = new List<double>();
        var byBase = new List<double>();
        for (var round = 0; round < SymbolRounds; round++)
        {
            foreach (var symbol in widest)
            {
                failures += await TimeAsync(scheduler, $"/api/markets/{Uri.EscapeDataString(symbol)}?sort=spreadBps", bySymbol);
            }
        }

        for (var round = 0; round < BaseRounds; round++)
        {
            foreach (var @base in bases)
            {
                failures += await TimeAsync(scheduler, $"/api/markets?base={Uri.EscapeDataString(@base)}&quote={Quotes}&type=spot", byBase);
            }
        }

        return new CompareLatencies(Percentiles.Of(bySymbol), Percentiles.Of(byBase), failures);
    }

    /// <summary>Times one request into <paramref name="into"/>; 1 if it failed (anything but 200), else 0.</summary>
    private static async Task<int> TimeAsync(HttpClient scheduler, string path, List<double> into)
    {
        var (status, milliseconds) = await TimedGet.SendAsync(scheduler, path);
        if (status != HttpStatusCode.OK)
        {
            return 1;
        }

        into.Add(milliseconds);
        return 0;
    }
}

/// <summary>The compare endpoints' latency with a sweep's books stored, and the requests that did not answer 200.</summary>
public sealed record CompareLatencies(Percentiles Symbol, Percentiles Base, int Failures);
