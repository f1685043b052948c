using Microsoft.Extensions.Options;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>What the simulator serves. Section "Simulator", validated at start.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>Symbols each exchange lists unless <see cref="Exchanges"/> says otherwise.</summary>
    public int SymbolsPerExchange { get; set; } = 20;

    /// <summary>Levels per book side; a smaller limit/depth parameter in the request cuts it.</summary>
    public int Depth { get; set; } = 100;

    /// <summary>Per exchange overrides, e.g. Simulator:Exchanges:kraken:Symbols = 5.</summary>
    public Dictionary<string, ExchangeSettings> Exchanges { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Faults active from start-up: exchange -> endpoint ("markets", "orderbook" or "*") -> fault,
    /// e.g. Simulator:Faults:kraken:orderbook = "429". See <see cref="Fault.Parse"/> for the fault syntax.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> Faults { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Body of a status-code fault's answer; empty: the status's reason phrase. ccxt puts the body
    /// into its error message, so this is how a test gives the system an error text of its choosing.
    /// </summary>
    public string? StatusFaultBody { get; set; }

    /// <summary>How long a "hang" fault holds a request before giving up (past any client timeout).</summary>
    public TimeSpan HangDuration { get; set; } = TimeSpan.FromMinutes(2);

    public int SymbolsFor(string exchangeId) =>
        Exchanges.TryGetValue(exchangeId, out var settings) && settings.Symbols is { } symbols ? symbols : SymbolsPerExchange;

    public string? ExtraBaseFor(string exchangeId) =>
        Exchanges.TryGetValue(exchangeId, out var settings) ? settings.ExtraBase : null;

    public int DepthFor(string exchangeId) =>
        Exchanges.TryGetValue(exchangeId, out var settings) && settings.Depth is { } depth ? depth : Depth;
}

public sealed class ExchangeSettings
{
    public int? Symbols { get; set; }

    /// <summary>
    /// One more base currency this exchange lists, named as given (any printable text, such as
    /// markup): how a test gives the system a symbol of its choosing.
    /// </summary>
    public string? ExtraBase { get; set; }

    public int? Depth { get; set; }
}

internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        if (options.SymbolsPerExchange is < 1 or > BookGenerator.MaxSymbols)
        {
            failures.Add($"Simulator:SymbolsPerExchange must be 1..{BookGenerator.MaxSymbols}.");
        }
        if (options.Depth is < 1 or > 5000)
        {
            failures.Add("Simulator:Depth must be 1..5000.");
        }
        foreach (var (exchange, settings) in options.Exchanges)
        {
            if (!ExchangeFormats.Ids.Contains(exchange))
            {
                failures.Add($"Simulator:Exchanges:{exchange}: not a simulated exchange ({string.Join(", ", ExchangeFormats.Ids)}).");
            }
            if (settings.ExtraBase is { } extra && (extra.Length is 0 or > 100 || extra.Any(char.IsControl)))
            {
                failures.Add($"Simulator:Exchanges:{exchange}:ExtraBase must be 1..100 printable characters.");
            }
            if (settings.Symbols is < 1 or > BookGenerator.MaxSymbols || settings.Depth is < 1 or > 5000)
            {
                failures.Add($"Simulator:Exchanges:{exchange}: Symbols must be 1..{BookGenerator.MaxSymbols}, Depth 1..5000.");
            }
        }
        foreach (var (exchange, endpoints) in options.Faults)
        {
            foreach (var (endpoint, fault) in endpoints)
            {
                if (!ExchangeFormats.Ids.Contains(exchange) || !FaultTable.IsEndpoint(endpoint) || !Fault.TryParse(fault, out _))
                {
                    failures.Add($"Simulator:Faults:{exchange}:{endpoint} = '{fault}': exchange must be simulated, endpoint one of " +
                        $"{string.Join(", ", FaultTable.Endpoints)}, fault one of {Fault.Syntax}.");
                }
            }
        }
        if (options.HangDuration <= TimeSpan.Zero)
        {
            failures.Add("Simulator:HangDuration must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
