extern alias scheduler;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>
/// The scheduler in this process as under <c>dotnet run</c> (Development), on an embedded Garnet of
/// its own, or on a server that outlives it (<see cref="On"/>: a scheduler restart).
/// </summary>
public sealed class SchedulerApp : WebApplicationFactory<scheduler::Program>
{
    private readonly EmbeddedGarnetServer? _ownRedis;
    private readonly string _connectionString;

    /// <summary>One public constructor, as xunit's class fixtures need.</summary>
    public SchedulerApp()
        : this(null)
    {
    }

    private SchedulerApp(EmbeddedGarnetServer? shared)
    {
        _ownRedis = shared is null ? EmbeddedGarnetServer.Start() : null;
        _connectionString = (shared ?? _ownRedis)!.ConnectionString;
    }

    /// <summary>A scheduler on <paramref name="redis"/>, which the caller keeps and disposes.</summary>
    public static SchedulerApp On(EmbeddedGarnetServer redis) => new(redis);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:redis", _connectionString);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _ownRedis?.Dispose();
        }
    }
}
