using Microsoft.Extensions.Options;

namespace OrderBookSweep.Worker.Exchanges;

public static class ExchangeEngineExtensions
{
    public const string HealthCheckName = "ccxt-engine";

    /// <summary>
    /// Registers <see cref="IExchangeEngine"/> (the ccxt Node engine, one per process, started with the host),
    /// <see cref="ExchangeOptions"/> from section "Exchanges" validated at start, and the "ccxt-engine"
    /// health check. The engine's stderr is logged under the <see cref="CcxtNodeEngine"/> category.
    /// </summary>
    public static IHostApplicationBuilder AddExchangeEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExchangeOptions>()
            .Bind(builder.Configuration.GetSection(ExchangeOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ExchangeOptions>, ExchangeOptionsValidator>();
        builder.Services.AddSingleton<CcxtNodeEngine>();
        builder.Services.AddSingleton<IExchangeEngine>(services => services.GetRequiredService<CcxtNodeEngine>());
        builder.Services.AddHostedService(services => services.GetRequiredService<CcxtNodeEngine>());
        builder.Services.AddHealthChecks().AddCheck<CcxtEngineHealthCheck>(HealthCheckName);
        return builder;
    }
}
