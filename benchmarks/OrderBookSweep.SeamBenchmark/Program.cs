using System.Globalization;
using OrderBookSweep.SeamBenchmark;
using OrderBookSweep.Worker.Sweeping;

// Order books per second through the C# seam versus ccxt called directly in Node, against the same
// simulator: rate limiter off, 5 exchanges concurrently, 100-level books. Prints numbers; no pass/fail.
// With --book-path instead: the worker's own CPU per book in process, from the engine's answer to
// the JSON Redis stores (BookPathRun).
if (args.Contains("--book-path"))
{
    BookPathRun.Print();
    return;
}

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 8;
var duration = TimeSpan.FromSeconds(seconds);
var warmUp = TimeSpan.FromSeconds(3);
const int Rounds = 3;
string[] exchanges = ["binance", "kraken", "okx", "bybit", "kucoin"];
string[] single = ["binance"];
// As many calls in flight per exchange as the worker keeps (Worker:SymbolConcurrency): the
// target's case. And one: the seam's own latency then stalls each exchange between its calls.
var workerInFlight = new WorkerOptions().SymbolConcurrency;
int[] inFlightLevels = [workerInFlight, 1];

await using var simulator = await SimulatorProcess.StartAsync();
await using var seam = await SeamRun.StartAsync(simulator.BaseUrl);

// Warms the simulator and the seam's long-lived engine; each direct run warms its own Node first.
await seam.RunAsync(warmUp, 1, exchanges);

var lines = new List<string>();
foreach (var inFlight in inFlightLevels)
{
    // Alternate the two so drift on a shared machine hits both alike.
    var direct = new List<Throughput>();
    var through = new List<Throughput>();
    TimeSpan workerCpu = default, engineCpu = default, simulatorCpu = default;
    for (var round = 0; round < Rounds; round++)
    {
        direct.Add(await DirectCcxtRun.RunAsync(simulator.BaseUrl, warmUp, duration, inFlight, exchanges));
        var (workerBefore, engineBefore) = seam.CpuTime();
        var simulatorBefore = simulator.CpuTime;
        through.Add(await seam.RunAsync(duration, inFlight, exchanges));
        var (workerAfter, engineAfter) = seam.CpuTime();
        simulatorCpu += simulator.CpuTime - simulatorBefore;
        workerCpu += workerAfter - workerBefore;
        engineCpu += engineAfter - engineBefore;
    }

    var directRate = direct.Average(t => t.PerSecond);
    var seamRate = through.Average(t => t.PerSecond);
    var seamBooks = through.Sum(t => t.Books);
    lines.Add(inFlight == workerInFlight
        ? $"{inFlight} calls in flight per exchange, as the worker (Worker:SymbolConcurrency):"
        : $"{inFlight} call in flight per exchange:");
    lines.Add($"  direct ccxt (Node)      {directRate,10:N0} books/s   rounds: {Rates(direct)}");
    lines.Add($"  through the C# seam     {seamRate,10:N0} books/s   rounds: {Rates(through)}");
    lines.Add($"  ratio seam / direct     {seamRate / directRate,10:0.00}" + (inFlight == workerInFlight ? "      (target >= 0.80)" : ""));
    lines.Add($"  CPU per book: through the seam, worker (C#) {workerCpu.TotalMicroseconds / seamBooks:N0} us + Node engine {engineCpu.TotalMicroseconds / seamBooks:N0} us;"
        + $" direct ccxt (Node) {direct.Sum(t => t.Cpu.TotalMicroseconds) / direct.Sum(t => t.Books):N0} us; simulator, during the seam's rounds, {simulatorCpu.TotalMicroseconds / seamBooks:N0} us");
}

var directSequential = await DirectCcxtRun.RunAsync(simulator.BaseUrl, warmUp, duration / 2, 1, single);
var seamSequential = await seam.RunAsync(duration / 2, 1, single);
var ping = await seam.PingMicrosecondsAsync(2000);
var (workerMemory, engineMemory) = seam.MemoryMiB();

Console.WriteLine($"ccxt 4.5.84, node, {Environment.ProcessorCount} cores; {exchanges.Length} exchanges concurrently, 100-level books, rate limiter off, {seconds:0.#} s x {Rounds} rounds each, after {warmUp.TotalSeconds:0} s warm-up");
lines.ForEach(Console.WriteLine);
Console.WriteLine($"sequential, 1 exchange: direct {directSequential.MicrosecondsPerBook:N0} us/book, seam {seamSequential.MicrosecondsPerBook:N0} us/book, seam overhead {seamSequential.MicrosecondsPerBook - directSequential.MicrosecondsPerBook:N0} us/call");
Console.WriteLine($"engine round trip (ping, no ccxt work): {ping:N0} us");
Console.WriteLine($"memory: worker process {workerMemory:N0} MiB + Node engine {engineMemory:N0} MiB = {workerMemory + engineMemory:N0} MiB resident");

static string Rates(IEnumerable<Throughput> runs) =>
    string.Join(", ", runs.Select(t => t.PerSecond.ToString("N0", CultureInfo.InvariantCulture)));
