using System.Diagnostics;
using System.Net;

namespace OrderBookSweep.Harness.Rehearsals;

/// <summary>One GET, its body read whole, timed as a client of the API sees it.</summary>
internal static class TimedGet
{
    /// <summary>The answer's status and how long it took; no status when the request itself failed.</summary>
    public static async Task<(HttpStatusCode? Status, double Milliseconds)> SendAsync(HttpClient client, string path)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            return (response.StatusCode, clock.Elapsed.TotalMilliseconds);
        }
        catch (HttpRequestException)
        {
            return (null, clock.Elapsed.TotalMilliseconds);
        }
    }
}
