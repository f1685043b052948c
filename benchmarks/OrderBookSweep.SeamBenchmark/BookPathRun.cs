using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using OrderBookSweep.Coordination;
using OrderBookSweep.Coordination.Internal;
using OrderBookSweep.Coordination.Metrics;
using OrderBookSweep.Worker.Exchanges;
using OrderBookSweep.Worker.Sweeping;

namespace OrderBookSweep.SeamBenchmark;

/// <summary>
/// The worker's own CPU per book, in process and without Node or Redis: the engine's answer as
/// JSON, then the book parsed from it, the snapshot built from the book, and the snapshot
/// serialised as Redis stores it, with the book's metrics computed and its market index entry
/// serialised; and the same without metrics, for their share. Books of 100 and 1,000 levels, priced like BTC/USDT and like
/// SHIB/USDT (prices far below 1, which .NET prints with an exponent).
/// </summary>
internal static class BookPathRun
{
    // Many short rounds, the fastest kept: on a shared machine the least disturbed round is the
    // closest to the work's own cost.
    private const int Rounds = 40;
    private static readonly TimeSpan RoundLength = TimeSpan.FromMilliseconds(25);

    public static void Print()
    {
        Console.WriteLine($"Book path in process (.NET {Environment.Version}): fastest of {Rounds} rounds of {RoundLength.TotalMilliseconds:0} ms of CPU per stage, stages in turn; us of CPU per book, bytes allocated per book");
        Console.WriteLine($"{"book",-16} {"answer JSON",12} {"parse",9} {"snapshot",9} {"serialise",10} {"index",7} {"worker's",9} {"allocated",10} {"stored",9} {"no metrics",11} {"ratio",6}");
        foreach (var (name, levels, price, tick, amountScale) in new[]
        {
            ("BTC/USDT", 100, 43_251.37m, 0.01m, 5),
            ("BTC/USDT", 1000, 43_251.37m, 0.01m, 5),
            ("SHIB/USDT", 100, 0.00001234m, 0.00000001m, 0),
            ("SHIB/USDT", 1000, 0.00001234m, 0.00000001m, 0),
        })
        {
            var line = EngineAnswer(name, levels, price, tick, amountScale, withMarket: true);
            using var document = JsonDocument.Parse(line);
            var result = document.RootElement.GetProperty("result");
            var book = CcxtExchangeSession.ParseOrderBook(result, "binance");
            var job = new SweepJob(1, "binance", 1, DateTimeOffset.UtcNow, null, null);
            var snapshot = SweepWorker.ToSnapshot(job, book, "worker-1", Bands);
            var stored = CoordinationJson.WriteUtf8(snapshot);

            // The same path for the same book before metrics: no market in the answer, none computed, stored or indexed.
            var plainLine = EngineAnswer(name, levels, price, tick, amountScale, withMarket: false);
            using var plainDocument = JsonDocument.Parse(plainLine);
            var plainResult = plainDocument.RootElement.GetProperty("result");
            var plainBook = CcxtExchangeSession.ParseOrderBook(plainResult, "binance");
            var plainSnapshot = SweepWorker.ToSnapshot(job, plainBook, "worker-1", Bands);

            // Each stored book has a market and metrics of its own, each formatted once: copies
            // taken in turn, so the serialiser's memo of the last ones written (which the index
            // entry after the book relies on) does not hide their cost, made before the timing,
            // which copying them would add to.
            var copies = Enumerable.Range(0, 16).Select(_ => snapshot with { Market = snapshot.Market! with { }, Metrics = snapshot.Metrics! with { } }).ToArray();
            var next = 0;

            // The index entries go into the arrays of their Redis call, given back when it is
            // answered (ResultStore): here after every eight, a small call's worth.
            var entries = new RentedBytes();
            var entryCount = 0;
            void WriteEntry(BookSnapshot book)
            {
                MarketVenueJson.Write(new MarketVenue(book.Exchange, book.SweepId, book.FetchedAt, book.Market!, book.Metrics!), entries);
                if (++entryCount % 8 == 0)
                {
                    entries.Return();
                }
            }

            var times = Measure(
                () => JsonDocument.Parse(line).Dispose(),
                () => CcxtExchangeSession.ParseOrderBook(result, "binance"),
                () => SweepWorker.ToSnapshot(job, book, "worker-1", Bands),
                () => CoordinationJson.WriteUtf8(copies[next++ % copies.Length]),
                () => WriteEntry(snapshot),
                () => CcxtExchangeSession.ParseOrderBook(plainResult, "binance"),
                () => SweepWorker.ToSnapshot(job, plainBook, "worker-1", Bands),
                () => CoordinationJson.WriteUtf8(plainSnapshot));
            var (answer, parse, build, serialise, index) = (times[0], times[1], times[2], times[3], times[4]);
            var plain = times[5] + times[6] + times[7];

            var allocated = Allocated(() =>
            {
                var built = SweepWorker.ToSnapshot(job, CcxtExchangeSession.ParseOrderBook(result, "binance"), "worker-1", Bands);
                CoordinationJson.WriteUtf8(built);
                WriteEntry(built);
            });

            var worker = parse + build + serialise + index;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{$"{name} x{levels}",-16} {answer,12:N1} {parse,9:N1} {build,9:N1} {serialise,10:N1} {index,7:N1} {worker,9:N1} {allocated,10:N0} {stored.Length,9:N0} {plain,11:N1} {worker / plain,6:N3}"));
        }
        Console.WriteLine("answer JSON: the engine's line read into a JsonDocument (EngineProcess, for scale); snapshot: includes computing the metrics;");
        Console.WriteLine("serialise: the book, its market and metrics formatted; index: the market index entry, written after its book into its call's rented arrays;");
        Console.WriteLine("worker's: parse + snapshot + serialise + index; stored: bytes of the book written to Redis;");
        Console.WriteLine("no metrics: worker's for the same book without market or metrics; ratio: worker's / no metrics");
    }

    private static readonly MetricBands Bands = MetricBands.Default;

    /// <summary>A fetchOrderBook answer as engine.js writes it: levels packed as float64 in base64.</summary>
    private static byte[] EngineAnswer(string symbol, int levels, decimal mid, decimal tick, int amountScale, bool withMarket)
    {
        var random = new Random(42);
        var packed = new double[4 * levels];
        for (var i = 0; i < levels; i++)
        {
            // As ccxt holds them: parseFloat of the decimal strings an exchange sends.
            packed[2 * i] = Float(mid - (i + 1) * tick);
            packed[2 * i + 1] = Float(Amount(random, amountScale));
            packed[2 * (levels + i)] = Float(mid + (i + 1) * tick);
            packed[2 * (levels + i) + 1] = Float(Amount(random, amountScale));
        }
        var base64 = Convert.ToBase64String(MemoryMarshal.AsBytes(packed.AsSpan()));
        var (@base, quote) = (symbol[..symbol.IndexOf('/')], symbol[(symbol.IndexOf('/') + 1)..]);
        var market = withMarket
            ? $$$""","market":["spot","{{{@base}}}","{{{quote}}}",null,null,null,null]"""
            : "";
        return Encoding.UTF8.GetBytes(
            $$$"""{"id":7,"ok":true,"result":{"symbol":"{{{symbol}}}","bidCount":{{{levels}}},"levels":"{{{base64}}}","timestamp":1700000000000,"datetime":"2023-11-14T22:13:20.000Z","nonce":null{{{market}}}}}""");
    }

    private static decimal Amount(Random random, int scale) =>
        Math.Round((decimal)random.NextDouble() * 50_000_000m / (scale == 0 ? 1 : 10_000m), scale);

    private static double Float(decimal value) => double.Parse(value.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// Microseconds of this thread's CPU per call of each stage, in its fastest round after a
    /// warm-up round. The stages take turns round by round, so a busy moment of the machine falls
    /// on all of them alike; CPU time, not wall time, leaves out the moments another process ran.
    /// </summary>
    private static double[] Measure(params Action[] stages)
    {
        var fastest = Enumerable.Repeat(double.MaxValue, stages.Length).ToArray();
        for (var round = -1; round < Rounds; round++)
        {
            for (var stage = 0; stage < stages.Length; stage++)
            {
                var start = ThreadCpuTime.Now();
                long calls = 0;
                TimeSpan elapsed;
                do
                {
                    for (var i = 0; i < 16; i++)
                    {
                        stages[stage]();
                    }
                    calls += 16;
                    elapsed = ThreadCpuTime.Now() - start;
                }
                while (elapsed < RoundLength);
                if (round >= 0)
                {
                    fastest[stage] = Math.Min(fastest[stage], elapsed.TotalMicroseconds / calls);
                }
            }
        }
        return fastest;
    }

    private static long Allocated(Action work)
    {
        work();
        const int Calls = 200;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            work();
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;
    }
}
