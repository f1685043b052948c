using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.AppHost;

/// <summary>
/// AppHost settings that moved to the section that owns them. Command lines, environments and
/// appsettings files written for the old keys keep working: an old key's value is read as the new
/// key's (unless the new key is set too), and the AppHost logs a warning naming both.
/// </summary>
public static class RenamedSettings
{
    /// <summary>Old key, new key.</summary>
    public static readonly IReadOnlyList<(string Old, string New)> Keys =
    [
        ("Sweep:MaxConcurrentExchanges", $"{CoordinationOptions.SectionName}:{nameof(CoordinationOptions.MaxConcurrentExchanges)}"),
        ("Sweep:WorkerReplicas", $"{AppHostSettings.SectionName}:WorkerReplicas"),
        ("Sweep:Simulate", $"{AppHostSettings.SectionName}:Simulate"),
    ];

    /// <summary>Whether <paramref name="key"/> is an old key, which is never passed on to a service.</summary>
    public static bool IsOld(string key) => Keys.Any(k => string.Equals(k.Old, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Moves every old key's value to its new key, and logs a warning per old key in use once the
    /// AppHost starts. Call it before anything reads the configuration.
    /// </summary>
    public static IDistributedApplicationBuilder ReadRenamedSettings(this IDistributedApplicationBuilder builder)
    {
        var used = Apply(builder.Configuration);
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            Log(@event.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RenamedSettings).FullName!), used);
            return Task.CompletedTask;
        });
        return builder;
    }

    /// <summary>Moves every old key's value to its new key (unless that is set) and returns the old keys in use.</summary>
    public static IReadOnlyList<RenamedSetting> Apply(IConfigurationManager configuration)
    {
        var used = Keys
            .Where(k => configuration[k.Old] is not null)
            .Select(k => new RenamedSetting(k.Old, k.New, Ignored: configuration[k.New] is not null))
            .ToList();
        var moved = used.Where(u => !u.Ignored).ToDictionary(u => u.New, u => configuration[u.Old]);
        if (moved.Count > 0)
        {
            configuration.AddInMemoryCollection(moved);
        }
        return used;
    }

    private static void Log(ILogger logger, IEnumerable<RenamedSetting> used)
    {
        foreach (var setting in used)
        {
            if (setting.Ignored)
            {
                logger.LogWarning("The setting {OldKey} is deprecated and ignored: {NewKey} is set", setting.Old, setting.New);
            }
            else
            {
                logger.LogWarning("The setting {OldKey} is deprecated: use {NewKey}, as which its value is read for now", setting.Old, setting.New);
            }
        }
    }
}

/// <summary>An old key in use; <see cref="Ignored"/> when its new key is set too.</summary>
public sealed record RenamedSetting(string Old, string New, bool Ignored);
