using Microsoft.Extensions.Options;

namespace OrderBookSweep.Worker.Exchanges;

/// <summary>How exchanges are created and how the ccxt engine runs. Section "Exchanges", validated at start.</summary>
public sealed class ExchangeOptions
{
    public const string SectionName = "Exchanges";

    /// <summary>
    /// When set, every REST URL http(s)://HOST/path of every exchange becomes {RedirectBaseUrl}/HOST/path
    /// (the exchange simulator, or any local stand-in). Null: the real exchanges.
    /// </summary>
    public string? RedirectBaseUrl { get; set; }

    /// <summary>ccxt's enableRateLimit: its per-instance throttle (binance 50 ms, kraken 1 s between calls).</summary>
    public bool EnableRateLimit { get; set; } = true;

    /// <summary>
    /// Multiplies ccxt's per-exchange rate-limit interval (its rateLimit, and with it every endpoint's
    /// weight). 1: ccxt's own limits. Above 1 a deployment is gentler on exchanges that ban; below 1 a
    /// rehearsal against the simulator runs faster. Any figure measured with the limiter on depends on it.
    /// </summary>
    public double RateLimitScale { get; set; } = 1;

    /// <summary>
    /// ccxt parses responses with the engine's own JSON parser (ccxt-engine/json-parse.js) instead of
    /// V8's JSON.parse, which costs a fifth of the engine's CPU on order books. False: ccxt's own
    /// parseJson, untouched, for a ccxt version whose parseJson the parser no longer fits
    /// (docs/exchange-seam.md, "What we rely on inside ccxt").
    /// </summary>
    public bool FastJsonParser { get; set; } = true;

    /// <summary>ccxt's timeout for one HTTP request; past it ccxt throws RequestTimeout.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Market types to keep ("spot", "swap", "future", "option", or an exchange's own "linear"/"inverse").
    /// Empty: all markets, as the seed does (binance then makes 3 calls per loadMarkets, bybit 11).
    /// </summary>
    public string[] MarketTypes { get; set; } = [];

    /// <summary>At most this many symbols (the first ones in sorted order) per exchange. Null: all.</summary>
    public int? MaxSymbolsPerExchange { get; set; }

    /// <summary>The limit passed to fetchOrderBook when the caller gives none. Null: the exchange's default depth.</summary>
    public int? BookDepth { get; set; }

    /// <summary>The Node.js executable (name on PATH or a path); ccxt 4.5.84 needs Node 20.19 or later.</summary>
    public string NodeExecutable { get; set; } = "node";

    /// <summary>
    /// Node.js options for the engine, space-separated, before its script: V8's heap flags. The default
    /// lets the old generation grow to half again what survived the last full collection, and caps the
    /// young generation's semi-spaces at 8 MiB (V8: 16), so a sweeping engine does not grow to several
    /// times its live heap (docs/performance.md). No hard cap: a large market list must not crash the
    /// engine. Empty: none.
    /// </summary>
    public string NodeOptions { get; set; } = "--heap-growing-percent=50 --max-semi-space-size=8";

    /// <summary>
    /// Once an engine has created this many different exchanges, it is replaced by a fresh one as
    /// soon as no exchange is open: each exchange's ccxt code stays in the engine that loaded it, so
    /// a long-lived engine grows towards the whole package. A fresh engine imports and warms each
    /// exchange's code again, which costs CPU (docs/performance.md#memory). Null (the default): never.
    /// </summary>
    public int? RecycleAfterExchanges { get; set; }

    internal IEnumerable<string> NodeArguments => NodeOptions.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Folder holding engine.js and node_modules. Null: "ccxt-engine" next to the worker's assembly
    /// (where the build and publish put it).
    /// </summary>
    public string? EngineDirectory { get; set; }

    /// <summary>
    /// Upper bound on one engine call, above <see cref="RequestTimeout"/>: one ccxt call may make several
    /// requests (loadMarkets) and wait for the rate limiter.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the engine may take to load ccxt and answer its first ping.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest engine message; a 5,000-level book is about 200 kB.</summary>
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    internal string ResolveEngineDirectory() =>
        EngineDirectory ?? Path.Combine(AppContext.BaseDirectory, "ccxt-engine");
}

/// <summary>Rejects <see cref="ExchangeOptions"/> the engine could not honour, at start rather than at the first sweep.</summary>
internal sealed class ExchangeOptionsValidator : IValidateOptions<ExchangeOptions>
{
    // Below a hundredth ccxt's throttle is effectively off (binance: 0.5 ms); above 100 kraken would wait 100 s a call.
    private const double MinRateLimitScale = 0.01;
    private const double MaxRateLimitScale = 100;

    public ValidateOptionsResult Validate(string? name, ExchangeOptions options)
    {
        var failures = new List<string>();
        if (options.RedirectBaseUrl is { } redirect
            && (!Uri.TryCreate(redirect, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"Exchanges:RedirectBaseUrl must be an absolute http(s) URL, got '{redirect}'.");
        }
        if (!double.IsFinite(options.RateLimitScale) || options.RateLimitScale is < MinRateLimitScale or > MaxRateLimitScale)
        {
            failures.Add($"Exchanges:RateLimitScale must be between {MinRateLimitScale} and {MaxRateLimitScale} (1 = ccxt's own limits), got {options.RateLimitScale}.");
        }
        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add("Exchanges:RequestTimeout must be positive.");
        }
        if (options.CallTimeout < options.RequestTimeout)
        {
            failures.Add("Exchanges:CallTimeout must be at least Exchanges:RequestTimeout.");
        }
        if (options.StartTimeout <= TimeSpan.Zero)
        {
            failures.Add("Exchanges:StartTimeout must be positive.");
        }
        if (options.RecycleAfterExchanges is < 1)
        {
            failures.Add("Exchanges:RecycleAfterExchanges must be at least 1 (or unset never to recycle the engine).");
        }
        if (options.MarketTypes.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("Exchanges:MarketTypes must not contain blank entries.");
        }
        if (options.MaxSymbolsPerExchange is < 1)
        {
            failures.Add("Exchanges:MaxSymbolsPerExchange must be at least 1 (or unset for all).");
        }
        if (options.BookDepth is < 1)
        {
            failures.Add("Exchanges:BookDepth must be at least 1 (or unset for the exchange's default).");
        }
        if (string.IsNullOrWhiteSpace(options.NodeExecutable))
        {
            failures.Add("Exchanges:NodeExecutable must be set.");
        }
        if (options.NodeOptions is null || options.NodeArguments.Any(a => !a.StartsWith("--", StringComparison.Ordinal)))
        {
            failures.Add($"Exchanges:NodeOptions must be Node.js or V8 options, each starting with '--', got '{options.NodeOptions}'.");
        }
        if (options.MaxMessageBytes < 64 * 1024)
        {
            failures.Add("Exchanges:MaxMessageBytes must be at least 65536.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
