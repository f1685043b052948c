using System.Globalization;
using Microsoft.Extensions.Configuration;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.AppHost;

/// <summary>
/// The operator's settings the AppHost accepts and passes on to the services, validated before
/// anything starts: a bad value fails start-up with a message that names the setting.
/// </summary>
public sealed record SweepSettings(
    RedisMode RedisMode,
    string Exchanges,
    TimeSpan Interval,
    int MaxConcurrentExchanges,
    int WorkerReplicas,
    string? RedirectBaseUrl,
    bool Simulate)
{
    public static SweepSettings From(IConfiguration configuration)
    {
        var errors = new List<string>();

        var redisMode = configuration["Redis:Mode"] is { Length: > 0 } modeText
            ? Enum.TryParse<RedisMode>(modeText, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : Fail<RedisMode>(errors, $"Redis:Mode must be one of embedded, server, container; got '{modeText}'.")
            : RedisMode.Embedded;

        var exchanges = configuration["Sweep:Exchanges"] ?? "";
        foreach (var id in exchanges.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ExchangeIds.IsWellFormed(id))
            {
                errors.Add($"Sweep:Exchanges has a malformed exchange id '{id}' ({ExchangeIds.Rule}).");
            }
        }

        var interval = configuration["Sweep:Interval"] is { Length: > 0 } intervalText
            ? ParseInterval(intervalText) is { } parsed && parsed >= TimeSpan.Zero
                ? parsed
                : Fail<TimeSpan>(errors, $"Sweep:Interval must be 0 (on demand only) or a positive time span like 00:05:00; got '{intervalText}'.")
            : TimeSpan.Zero;

        var cap = Int(
            configuration, "Sweep:MaxConcurrentExchanges", new CoordinationOptions().MaxConcurrentExchanges,
            CoordinationOptions.MinConcurrentExchanges, CoordinationOptions.MaxConcurrentExchangesLimit, errors);
        var replicas = Int(configuration, "Sweep:WorkerReplicas", 3, 1, 32, errors);

        var redirect = configuration["Exchanges:RedirectBaseUrl"] is { Length: > 0 } redirectText ? redirectText : null;
        if (redirect is not null && !(Uri.TryCreate(redirect, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            errors.Add($"Exchanges:RedirectBaseUrl must be an absolute http(s) URL; got '{redirect}'.");
        }

        var simulate = configuration["Sweep:Simulate"] is { Length: > 0 } simulateText
            ? bool.TryParse(simulateText, out var s) ? s : Fail<bool>(errors, $"Sweep:Simulate must be true or false; got '{simulateText}'.")
            : false;
        if (simulate && redirect is not null)
        {
            errors.Add("Sweep:Simulate and Exchanges:RedirectBaseUrl both redirect the workers: set only one.");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid OrderBookSweep settings:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        return new SweepSettings(redisMode, exchanges, interval, cap, replicas, redirect, simulate);
    }

    /// <summary>"0", "300" (seconds) or a TimeSpan ("00:05:00").</summary>
    private static TimeSpan? ParseInterval(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds)
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span
        : null;

    private static int Int(IConfiguration configuration, string key, int fallback, int min, int max, List<string> errors) =>
        configuration[key] is not { Length: > 0 } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max ? value
        : Fail<int>(errors, $"{key} must be a whole number from {min} to {max}; got '{text}'.");

    private static T Fail<T>(List<string> errors, string message)
    {
        errors.Add(message);
        return default!;
    }
}

/// <summary>Where Redis comes from under <c>dotnet run</c> (publish mode always uses the container).</summary>
public enum RedisMode
{
    /// <summary>An in-process Garnet server: zero install.</summary>
    Embedded,

    /// <summary>A redis-server on PATH, with AOF persistence.</summary>
    Server,

    /// <summary>Aspire's Redis container (needs a container engine).</summary>
    Container,
}
