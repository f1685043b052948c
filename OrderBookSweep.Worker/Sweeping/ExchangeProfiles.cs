using System.Text.Json;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Worker.Exchanges;

namespace OrderBookSweep.Worker.Sweeping;

/// <summary>
/// The catalog a worker publishes: every exchange ccxt describes, with its rateLimit and where its
/// requests go. Behind a redirect, the stand-in is asked which exchanges it serves
/// (<c>GET /admin/exchanges</c>, as the exchange simulator answers): those, and the ccxt exchanges
/// whose REST hosts are all hosts of one of them (binanceusdm's and binancecoinm's are binance's,
/// kucoinfutures' kucoin's), are simulated; every other exchange would only meet 404s, and is not
/// simulated. A stand-in that does not answer that request leaves every exchange direct.
/// </summary>
public sealed partial class ExchangeProfiles(
    IExchangeEngine engine,
    HttpClient http,
    IOptions<ExchangeOptions> options,
    ILogger<ExchangeProfiles> logger)
{
    /// <exception cref="HttpRequestException">The stand-in could not be reached (the caller tries again).</exception>
    /// <exception cref="OperationCanceledException">It did not answer in time (the caller tries again), or <paramref name="cancellationToken"/>.</exception>
    public async Task<IReadOnlyList<ExchangeProfile>> ReadAsync(CancellationToken cancellationToken)
    {
        var described = await engine.GetExchangesAsync(cancellationToken);
        var served = options.Value.RedirectBaseUrl is { } redirect ? await ReadServedAsync(redirect, cancellationToken) : null;
        return Profile(described, served);
    }

    internal static IReadOnlyList<ExchangeProfile> Profile(IReadOnlyList<ExchangeDescription> described, IReadOnlySet<string>? served)
    {
        if (served is null)
        {
            return [.. described.Select(d => new ExchangeProfile(d.Id, d.RateLimitMs, ExchangeReach.Direct))];
        }

        var servedHosts = described.Where(d => served.Contains(d.Id)).Select(d => d.Hosts.ToHashSet(StringComparer.OrdinalIgnoreCase)).ToList();
        bool Simulated(ExchangeDescription d) =>
            served.Contains(d.Id) || (d.Hosts.Count > 0 && servedHosts.Any(hosts => hosts.IsSupersetOf(d.Hosts)));
        return [.. described.Select(d => new ExchangeProfile(d.Id, d.RateLimitMs, Simulated(d) ? ExchangeReach.Simulated : ExchangeReach.NotSimulated))];
    }

    /// <summary>The ids the stand-in serves; null when it does not say (not the exchange simulator).</summary>
    private async Task<IReadOnlySet<string>?> ReadServedAsync(string redirectBaseUrl, CancellationToken cancellationToken)
    {
        var url = new Uri(redirectBaseUrl.TrimEnd('/') + "/admin/exchanges");
        using var response = await http.GetAsync(url, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            LogStandInSilent(url, (int)response.StatusCode);
            return null;
        }

        try
        {
            // Untrusted: only ever compared with ccxt's ids.
            using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), default, cancellationToken);
            return answer.RootElement.ValueKind == JsonValueKind.Array && answer.RootElement.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                ? answer.RootElement.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
                : Silent();
        }
        catch (JsonException)
        {
            return Silent();
        }

        IReadOnlySet<string>? Silent()
        {
            LogStandInSilent(url, (int)response.StatusCode);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The stand-in at {Url} does not list the exchanges it serves (HTTP {Status}): every exchange is swept as direct")]
    private partial void LogStandInSilent(Uri url, int status);
}
