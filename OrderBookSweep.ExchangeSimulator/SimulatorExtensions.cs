using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Instrumentation.AspNetCore;

namespace OrderBookSweep.ExchangeSimulator;

public static class SimulatorExtensions
{
    /// <summary>Registers the simulator's state and <see cref="SimulatorOptions"/> (section "Simulator", validated at start).</summary>
    public static IHostApplicationBuilder AddExchangeSimulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SimulatorOptions>()
            .Bind(builder.Configuration.GetSection(SimulatorOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<BookGenerator>();
        builder.Services.AddSingleton<MarketCatalog>();
        builder.Services.AddSingleton<FaultTable>();
        builder.Services.AddSingleton<SimulatorStats>();
        builder.Services.AddSingleton<RealisticConditions>();
        // Trace only the admin API: the simulated exchanges' traffic (thousands of book requests a
        // sweep) stands in for the outside world, and a root trace each would bury the system's own.
        builder.Services.Configure<AspNetCoreTraceInstrumentationOptions>(
            options => options.Filter = context => context.Request.Path.StartsWithSegments("/admin"));
        return builder;
    }

    /// <summary>Maps /admin/... and the simulated exchanges under /{host}/{path}.</summary>
    public static WebApplication MapExchangeSimulator(this WebApplication app)
    {
        app.MapSimulatorAdmin();
        app.MapSimulatedExchanges();
        return app;
    }
}
