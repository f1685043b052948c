using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination.Metrics;

namespace OrderBookSweep.Coordination;

public static class CoordinationExtensions
{
    /// <summary>
    /// Registers the coordination services as singletons and binds <see cref="CoordinationOptions"/>
    /// from the <c>Coordination</c> section and <see cref="MetricsOptions"/> from <c>Metrics</c>,
    /// both validated at start, with the <see cref="MetricBands"/> they give. Expects an
    /// <c>IConnectionMultiplexer</c> registered already (e.g. Aspire's <c>AddRedisClient</c>).
    /// </summary>
    public static IServiceCollection AddSweepCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CoordinationOptions>()
            .Bind(configuration.GetSection(CoordinationOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CoordinationOptions>, CoordinationOptionsValidator>());
        services.AddOptions<MetricsOptions>()
            .Bind(configuration.GetSection(MetricsOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MetricsOptions>>().Value.Bands());
        services.TryAddSingleton<SweepStore>();
        services.TryAddSingleton<JobQueue>();
        services.TryAddSingleton<ExchangeSemaphore>();
        services.TryAddSingleton<ResultStore>();
        services.TryAddSingleton<ExchangeCatalog>();
        services.TryAddSingleton<BookIndex>();
        services.TryAddSingleton<MarketIndex>();
        services.TryAddSingleton<SweepHistory>();
        services.TryAddSingleton<DeadLetterStore>();
        services.TryAddSingleton<QueueOverview>();
        return services;
    }
}
