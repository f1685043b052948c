using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace OrderBookSweep.AppHost;

/// <summary>
/// The AppHost's own settings (section <c>AppHost</c>, and <c>Redis:Mode</c>), validated before
/// anything starts: a bad value fails start-up with a message that names the setting. The
/// services' sections (<c>Sweep</c>, <c>Coordination</c>) are not read here: the AppHost passes
/// them through and each service validates its own (<see cref="Extensions.WithSettingsSection"/>).
/// </summary>
public sealed record AppHostSettings(
    RedisMode RedisMode,
    int WorkerReplicas,
    string? RedirectBaseUrl,
    bool Simulate)
{
    public const string SectionName = "AppHost";

    public const int DefaultWorkerReplicas = 3, MaxWorkerReplicas = 32;

    /// <summary>
    /// Reads the settings, after <see cref="RenamedSettings.Apply"/> has moved any value still
    /// set under an old key to its new one.
    /// </summary>
    public static AppHostSettings From(IConfiguration configuration)
    {
        var errors = new List<string>();

        var redisMode = configuration["Redis:Mode"] is { Length: > 0 } modeText
            ? Enum.TryParse<RedisMode>(modeText, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : Fail<RedisMode>(errors, $"Redis:Mode must be one of embedded, server, container; got '{modeText}'.")
            : RedisMode.Embedded;

        var replicasKey = $"{SectionName}:WorkerReplicas";
        var replicas = configuration[replicasKey] is not { Length: > 0 } replicasText ? DefaultWorkerReplicas
            : int.TryParse(replicasText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= MaxWorkerReplicas ? value
            : Fail<int>(errors, $"{replicasKey} must be a whole number from 1 to {MaxWorkerReplicas}; got '{replicasText}'.");

        // The worker validates the URL itself (Exchanges:RedirectBaseUrl is its setting); the AppHost
        // only needs to know whether one is set.
        var redirect = configuration["Exchanges:RedirectBaseUrl"] is { Length: > 0 } redirectText ? redirectText : null;

        var simulateKey = $"{SectionName}:Simulate";
        var simulate = configuration[simulateKey] is { Length: > 0 } simulateText
            ? bool.TryParse(simulateText, out var s) ? s : Fail<bool>(errors, $"{simulateKey} must be true or false; got '{simulateText}'.")
            : false;
        if (simulate && redirect is not null)
        {
            errors.Add($"{simulateKey} and Exchanges:RedirectBaseUrl both redirect the workers: set only one.");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid OrderBookSweep settings:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }

        return new AppHostSettings(redisMode, replicas, redirect, simulate);
    }

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
