using Microsoft.Extensions.DependencyInjection.Extensions;
using OrderBookSweep.Coordination.Metrics;
using OrderBookSweep.Scheduler.Archive;

namespace OrderBookSweep.Scheduler.Extensions;

public static class ArchiveExtensions
{
    /// <summary>The Parquet archive: its settings (validated at start), writer, series index, retention, reader, the archiver and its health check.</summary>
    public static void AddSweepArchive(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ArchiveOptions>()
            .Bind(builder.Configuration.GetSection(ArchiveOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(MetricBands.Default);
        builder.Services.AddSingleton<ArchiveLayout>();
        builder.Services.AddSingleton<SweepArchiveWriter>();
        builder.Services.AddSingleton<SeriesIndex>();
        builder.Services.AddSingleton<ArchiveRetention>();
        builder.Services.AddSingleton<ArchiveReader>();
        builder.Services.AddSingleton<SweepArchiver>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SweepArchiver>());
        builder.Services.AddHealthChecks().AddCheck<ArchiveHealthCheck>("archive");
    }
}
