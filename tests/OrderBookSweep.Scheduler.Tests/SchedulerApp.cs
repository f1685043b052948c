extern alias scheduler;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>
/// The scheduler in this process as under <c>dotnet run</c> (Development), on an embedded Garnet of
/// its own, or on <paramref name="redis"/> (which outlives it: a scheduler restart).
/// </summary>
public sealed class SchedulerApp(EmbeddedGarnetServer? redis = null) : WebApplicationFactory<scheduler::Program>
{
    private readonly EmbeddedGarnetServer? _ownRedis = redis is null ? EmbeddedGarnetServer.Start() : null;

    private string ConnectionString => (redis ?? _ownRedis)!.ConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:redis", ConnectionString);
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
