namespace OrderBookSweep.Scheduler;

/// <summary>
/// Protects the mutating endpoints (start, cancel, pause, resume). Section "Scheduler".
/// The AppHost sets a key from a secret parameter in publish mode; under <c>dotnet run</c> the
/// API listens on loopback only and the key is left empty (open).
/// </summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "Scheduler";

    public const string HeaderName = "X-Api-Key";

    /// <summary>Where a deployment puts the key when <c>Scheduler:ApiKey</c> is unset: <c>ConnectionStrings:scheduler-api-key</c>.</summary>
    public const string ConnectionName = "scheduler-api-key";

    public string? ApiKey { get; set; }
}
