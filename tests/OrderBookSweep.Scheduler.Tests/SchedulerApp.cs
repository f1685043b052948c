extern alias scheduler;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OrderBookSweep.EmbeddedRedis;

namespace OrderBookSweep.Scheduler.Tests;

/// <summary>The scheduler in this process as under <c>dotnet run</c> (Development), on an embedded Garnet.</summary>
public sealed class SchedulerApp : WebApplicationFactory<scheduler::Program>
{
    private readonly EmbeddedGarnetServer _redis = EmbeddedGarnetServer.Start();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:redis", _redis.ConnectionString);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _redis.Dispose();
        }
    }
}
