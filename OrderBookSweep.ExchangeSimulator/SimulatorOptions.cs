using Microsoft.Extensions.Options;

namespace OrderBookSweep.ExchangeSimulator;

/// <summary>What the simulator serves. Section "Simulator", validated at start.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    public const int MaxDepth = 5000;

    private const int SmallProfileDepth = 100;

    /// <summary>
    /// Small (default): a few markets of each type, 100-level books, no added latency or rate limit.
    /// Realistic: market counts of the order of the real exchanges', each exchange's own default and
    /// maximum depth, latency with jitter, and each exchange's rate-limit answer past a request rate.
    /// </summary>
    public SimulatorProfile Profile { get; set; } = SimulatorProfile.Small;

    /// <summary>Spot markets each exchange lists, for every exchange; null: the profile's count.</summary>
    public int? SymbolsPerExchange { get; set; }

    /// <summary>Levels per book side for every exchange (a smaller limit in the request cuts it); null: the profile's.</summary>
    public int? Depth { get; set; }

    /// <summary>Per exchange overrides, e.g. Simulator:Exchanges:kraken:Symbols = 5.</summary>
    public Dictionary<string, ExchangeSettings> Exchanges { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Faults active from start-up: exchange -> endpoint ("markets", "currencies", "orderbook" or "*") -> fault,
    /// e.g. Simulator:Faults:kraken:orderbook = "429". See <see cref="Fault.TryParse"/> for the fault syntax.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> Faults { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Divides the realistic profile's request allowance per second: the world's clock for a rehearsal
    /// whose workers run with the same Exchanges:RateLimitScale, so that a compressed throttle meets the
    /// exchanges' limits exactly as ccxt's own does (1: the exchanges' own rates).
    /// </summary>
    public double RateLimitScale { get; set; } = 1;

    /// <summary>
    /// Body of a status-code fault's answer; empty: the status's reason phrase. ccxt puts the body
    /// into its error message, so this is how a test gives the system an error text of its choosing.
    /// </summary>
    public string? StatusFaultBody { get; set; }

    /// <summary>How long a "hang" fault holds a request before giving up (past any client timeout).</summary>
    public TimeSpan HangDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many markets of <paramref name="listing"/> the exchange lists: a Symbols setting counts spot markets.</summary>
    public int CountFor(string exchangeId, Listing listing) =>
        listing.Type == MarketType.Spot && (Setting(exchangeId)?.Symbols ?? SymbolsPerExchange) is { } symbols
            ? symbols
            : listing.Count(Profile);

    public string? ExtraBaseFor(string exchangeId) => Setting(exchangeId)?.ExtraBase;

    /// <summary>Levels served for a request with <paramref name="limit"/> (null: none): a configured depth caps and defaults it, else the profile's.</summary>
    public int DepthFor(ExchangeFormat format, SimulatedMarket market, int? limit)
    {
        if ((Setting(format.Id)?.Depth ?? Depth) is { } configured)
        {
            return Math.Min(limit ?? configured, configured);
        }
        return Profile == SimulatorProfile.Realistic
            ? Math.Min(limit ?? format.DefaultDepth(market), format.MaxDepth(market))
            : Math.Min(limit ?? SmallProfileDepth, SmallProfileDepth);
    }

    /// <summary>The book as this exchange serves it: stamped <see cref="ExchangeSettings.BookLag"/> early, crossed if set so.</summary>
    public SimulatedBook Shape(string exchangeId, SimulatedBook book) => Setting(exchangeId) switch
    {
        null => book,
        var settings => (settings.Crossed ? book.Crossed() : book) with { Time = book.Time - (settings.BookLag ?? TimeSpan.Zero) },
    };

    private ExchangeSettings? Setting(string exchangeId) => Exchanges.GetValueOrDefault(exchangeId);
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

    /// <summary>Books stamped this long before they are served: a venue whose books are stale.</summary>
    public TimeSpan? BookLag { get; set; }

    /// <summary>Books whose best bid is above their best ask: a venue whose books are crossed.</summary>
    public bool Crossed { get; set; }
}

internal sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Profile))
        {
            failures.Add($"Simulator:Profile must be one of {string.Join(", ", Enum.GetNames<SimulatorProfile>())}.");
        }
        if (options.SymbolsPerExchange is < 1 or > BookGenerator.MaxSymbols)
        {
            failures.Add($"Simulator:SymbolsPerExchange must be 1..{BookGenerator.MaxSymbols}.");
        }
        if (options.Depth is < 1 or > SimulatorOptions.MaxDepth)
        {
            failures.Add($"Simulator:Depth must be 1..{SimulatorOptions.MaxDepth}.");
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
            if (settings.Symbols is < 1 or > BookGenerator.MaxSymbols || settings.Depth is < 1 or > SimulatorOptions.MaxDepth)
            {
                failures.Add($"Simulator:Exchanges:{exchange}: Symbols must be 1..{BookGenerator.MaxSymbols}, Depth 1..{SimulatorOptions.MaxDepth}.");
            }
            if (settings.BookLag is { } lag && (lag < TimeSpan.Zero || lag > TimeSpan.FromDays(1)))
            {
                failures.Add($"Simulator:Exchanges:{exchange}:BookLag must be 0 to 1 day (was {lag}).");
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
        if (!double.IsFinite(options.RateLimitScale) || options.RateLimitScale is < 0.01 or > 100)
        {
            failures.Add("Simulator:RateLimitScale must be between 0.01 and 100 (1: the exchanges' own rates).");
        }
        if (options.HangDuration <= TimeSpan.Zero)
        {
            failures.Add("Simulator:HangDuration must be positive.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
