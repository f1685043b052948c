using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderBookSweep.Worker.Exchanges;

/// <summary>"ccxt-engine" in /health: the engine answers a ping (starting it again if it died).</summary>
internal sealed class CcxtEngineHealthCheck(CcxtNodeEngine engine) : IHealthCheck
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["restarts"] = engine.Restarts };
        try
        {
            data["engine"] = await engine.PingAsync(PingTimeout, cancellationToken);
            return HealthCheckResult.Healthy("The ccxt engine answers.", data);
        }
        catch (Exception e) when (e is ExchangeException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The ccxt engine does not answer.", e, data);
        }
    }
}
