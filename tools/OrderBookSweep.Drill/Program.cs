using System.Globalization;
using OrderBookSweep.Harness.Drill;

// dotnet run -c Release --project tools/OrderBookSweep.Drill -- [--minutes N] [--seed S]
var options = new DrillOptions();
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options = args[i] switch
    {
        "--minutes" => options with { Duration = TimeSpan.FromMinutes(double.Parse(args[i + 1], CultureInfo.InvariantCulture)) },
        "--seed" => options with { Seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
        _ => throw new ArgumentException($"unknown argument {args[i]}; use --minutes N and --seed S"),
    };
}

// The services' own logs would bury the drill's lines; the Aspire dashboard is not needed for a drill.
Environment.SetEnvironmentVariable("Logging__LogLevel__OrderBookSweep.AppHost.Resources", "None");
Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
// Health checks fail, loudly, while the drill has a service down on purpose.
Environment.SetEnvironmentVariable("Logging__LogLevel__Microsoft.Extensions.Diagnostics.HealthChecks", "None");

Console.WriteLine($"Starting the system (redis-server, simulator, {options.WorkerReplicas} workers, scheduler)...");
await using var system = await ReliabilityDrill.StartSystemAsync(options);
var report = await new ReliabilityDrill(system, options, Console.Out).RunAsync(CancellationToken.None);
Console.WriteLine();
Console.WriteLine(report.Format());
return report.Violations().Count == 0 ? 0 : 1;
