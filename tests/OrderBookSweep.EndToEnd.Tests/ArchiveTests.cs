using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.EndToEnd.Tests;

/// <summary>
/// The archive through the whole system: real ccxt workers sweep the simulator (with a hostile
/// symbol, a rate-limited exchange and an unreachable one), the scheduler archives the sweep, and
/// DuckDB on its own reads the files the API hands out. About 40 s: the system's start and one sweep.
/// </summary>
public sealed partial class ArchiveTests
{
    private const string HostileBase = "<script>alert('symbol')</script>'; DROP TABLE books;--";

    private static readonly string[] Healthy = ["binance", "okx"];

    [Fact]
    public async Task A_sweep_is_archived_with_every_book_the_API_served_and_reads_back_through_the_API_and_DuckDB()
    {
        await using var system = await SweepSystem.StartAsync(
            "embedded",
            workerReplicas: 2,
            simulator: new Dictionary<string, string>
            {
                ["Exchanges:binance:ExtraBase"] = HostileBase,
                ["Faults:kraken:orderbook"] = "429",
            });
        var sweepId = await system.StartSweepAsync([.. Healthy, "kraken", "gemini"]);
        var sweep = await system.WaitForSweepAsync(sweepId, TimeSpan.FromMinutes(2));
        Assert.Equal(ExchangeOutcomeKind.Failed, sweep.Outcomes["kraken"].Outcome);
        Assert.Equal(ExchangeOutcomeKind.DeadLettered, sweep.Outcomes["gemini"].Outcome);

        // What the API served: every stored book of the sweep.
        var served = new List<BookSnapshot>();
        foreach (var exchange in Healthy)
        {
            var symbols = await system.Scheduler.GetFromJsonAsync<JsonElement>($"/api/orderbooks/exchanges/{exchange}?limit=1000", SweepSystem.Json);
            foreach (var symbol in symbols.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()!))
            {
                served.Add((await system.Scheduler.GetFromJsonAsync<BookSnapshot>($"/api/orderbooks/{exchange}/{Uri.EscapeDataString(symbol)}", SweepSystem.Json))!);
            }
        }

        Assert.Equal(sweep.Outcomes.Values.Sum(o => o.SymbolsOk), served.Count);
        var hostile = served.Single(b => b.Symbol.Contains("<script>", StringComparison.OrdinalIgnoreCase)); // ccxt upper-cases the base

        // The files, as a data user downloads them, read by DuckDB rather than the writer's library.
        var folder = Directory.CreateTempSubdirectory("obs-archive-download-").FullName;
        try
        {
            var files = new Dictionary<string, string>();
            foreach (var part in new[] { "books", "metrics", "outcomes" })
            {
                files[part] = Path.Combine(folder, $"{part}.parquet");
                using var response = await Eventually.UntilAsync(
                    () => system.Scheduler.GetAsync($"/api/sweeps/{sweepId}/archive?part={part}"),
                    r => r.StatusCode == HttpStatusCode.OK,
                    $"sweep {sweepId}'s {part} file");
                Assert.Equal("application/vnd.apache.parquet", response.Content.Headers.ContentType?.MediaType);
                await File.WriteAllBytesAsync(files[part], await response.Content.ReadAsByteArrayAsync());
            }

            var levels = DuckDb.Query($"SELECT exchange, symbol, side, level, price, amount, epoch_ms(fetched_at), sweep_id FROM read_parquet('{files["books"]}')")
                .ToLookup(r => ((string)r[0]!, (string)r[1]!));
            Assert.Equal(served.Count, levels.Count);
            foreach (var book in served)
            {
                var rows = levels[(book.Exchange, book.Symbol)].ToList();
                Assert.All(rows, r => Assert.Equal((book.FetchedAt.ToUnixTimeMilliseconds(), sweepId), ((long)r[6]!, (long)r[7]!)));
                Assert.Equal(book.Bids, Side(rows, "bid"));
                Assert.Equal(book.Asks, Side(rows, "ask"));
            }

            Assert.Equal(served.Count, (long)DuckDb.Query($"SELECT count(*) FROM read_parquet('{files["metrics"]}')").Single()[0]!);
            Assert.Equal(
                sweep.Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => (o.Key, StoredName<ExchangeOutcomeKind>.Of(o.Value.Outcome), o.Value.SymbolsOk)),
                DuckDb.Query($"SELECT exchange, outcome, symbols_ok FROM read_parquet('{files["outcomes"]}') ORDER BY exchange").Select(r => ((string)r[0]!, (string)r[1]!, (int)r[2]!)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // The history endpoints, with the hostile symbol.
        var path = $"/api/history/binance/{Uri.EscapeDataString(hostile.Symbol)}";
        var series = await system.Scheduler.GetFromJsonAsync<JsonElement>($"{path}?fields=spread_bps,crossed", SweepSystem.Json);
        Assert.Equal(hostile.Symbol, series.GetProperty("symbol").GetString());
        var point = series.GetProperty("points").EnumerateArray().Single();
        Assert.Equal(sweepId, point.GetProperty("sweepId").GetInt64());
        var mid = (hostile.Bids[0].Price + hostile.Asks[0].Price) / 2;
        Assert.Equal((hostile.Asks[0].Price - hostile.Bids[0].Price) / mid * 10_000, point.GetProperty("values").GetProperty("spread_bps").GetDouble(), 9);
        var csv = (await system.Scheduler.GetStringAsync($"{path}?fields=spread_bps&format=csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["sweep_id,fetched_at,spread_bps", $"{sweepId},{hostile.FetchedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'},{point.GetProperty("values").GetProperty("spread_bps").GetDouble():R}"], csv);

        var archived = await system.Scheduler.GetFromJsonAsync<JsonElement>($"{path}/book?at={hostile.FetchedAt.ToUnixTimeMilliseconds()}", SweepSystem.Json);
        Assert.Equal((sweepId, hostile.Symbol), (archived.GetProperty("sweepId").GetInt64(), archived.GetProperty("symbol").GetString()));
        Assert.Equal(hostile.Bids, Levels(archived.GetProperty("bids")));
        Assert.Equal(hostile.Asks, Levels(archived.GetProperty("asks")));
        Assert.Equal(HttpStatusCode.NotFound, (await system.Scheduler.GetAsync($"/api/sweeps/{sweepId + 1}/archive?part=books")).StatusCode);

        // Bad input: a 400 that names the problem.
        foreach (var (query, names) in new[]
        {
            ($"/api/sweeps/{sweepId}/archive?part=levels", "part"),
            ($"{path}?fields=spread_bps,nonsense", "nonsense"),
            ($"{path}?from=2026-12-06T00:00:00Z&to=2026-12-05T00:00:00Z", "after"),
            ($"{path}?from=yesterday", "from"),
            ($"{path}?from=2020-01-01&to=2026-01-01", "366"),
            ($"{path}?format=xml", "format"),
            ($"{path}/book?at=noon", "at"),
            ("/api/history/Not%20An%20Id/BTC%2FUSDT", "exchange"),
        })
        {
            using var response = await system.Scheduler.GetAsync(query);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {(int)response.StatusCode}");
            Assert.Contains(names, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // docs/archive.md's DuckDB query, pointed at this system's archive.
        var docs = await File.ReadAllTextAsync(Path.Combine(PublishedWorker.RepositoryRoot, "docs", "archive.md"));
        var sql = SqlBlock().Match(docs).Groups[1].Value.Replace("data/archive", system.ArchivePath, StringComparison.Ordinal);
        var spreads = DuckDb.Query(sql);
        Assert.NotEmpty(spreads);
        Assert.Equal(served.Where(b => b.Symbol == "BTC/USDT").Select(b => b.Exchange).Order(), spreads.Select(r => (string)r[0]!));
        Assert.All(spreads, r => Assert.Equal(1L, r[3]));
    }

    private static List<OrderBookLevel> Side(List<object?[]> rows, string side) =>
        [.. rows.Where(r => (string)r[2]! == side).OrderBy(r => (int)r[3]!).Select(r => new OrderBookLevel((double)r[4]!, (double)r[5]!))];

    private static List<OrderBookLevel> Levels(JsonElement side) =>
        [.. side.EnumerateArray().Select(l => new OrderBookLevel(l[0].GetDouble(), l[1].GetDouble()))];

    [GeneratedRegex("```sql\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();
}
