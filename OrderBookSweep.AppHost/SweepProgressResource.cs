using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.AppHost;

/// <summary>
/// A row in the dashboard for the latest sweep, readable at a glance in the resource list: its
/// state (Running, Completed, Cancelled) and, as the text of its link to the sweep's JSON, its
/// progress ("sweep 7: 43/104 exchanges, 2 failed, 5 claimed"). Run mode only.
/// </summary>
public sealed class SweepProgressResource(string name, EndpointReference scheduler) : Resource(name)
{
    internal EndpointReference Scheduler { get; } = scheduler;
}

public static class SweepProgressExtensions
{
    /// <summary>How often the row is refreshed from the scheduler's summary.</summary>
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    public static IResourceBuilder<SweepProgressResource> AddSweepProgress(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ProjectResource> scheduler)
    {
        var resource = new SweepProgressResource(name, scheduler.GetEndpoint("http"));
        builder.Services.AddHttpClient(nameof(SweepProgressResource), c => c.Timeout = TimeSpan.FromSeconds(5));
        builder.Services.AddHostedService(sp => new SweepProgressPublisher(
            resource,
            sp.GetRequiredService<ResourceNotificationService>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<ILogger<SweepProgressPublisher>>()));

        return builder.AddResource(resource)
            .WithParentRelationship(scheduler)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Sweep",
                State = new ResourceStateSnapshot("waiting for the scheduler", KnownResourceStateStyles.Info),
                Properties = [],
            })
            .ExcludeFromManifest();
    }

    /// <summary>The scheduler's <c>GET /health/sweep</c>; no state before the first sweep.</summary>
    private sealed record Summary(string Text, SweepState? State);

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private sealed class SweepProgressPublisher(
        SweepProgressResource resource,
        ResourceNotificationService notifications,
        IHttpClientFactory httpClientFactory,
        ILogger<SweepProgressPublisher> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(RefreshInterval);
            string? shown = null;
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var summary = await ReadSummaryAsync(stoppingToken);
                if (summary is null || summary.Text == shown)
                {
                    continue;
                }

                shown = summary.Text;
                var style = summary.State is SweepState.Completed or SweepState.Cancelled ? KnownResourceStateStyles.Success : KnownResourceStateStyles.Info;
                var state = summary.State is { } s ? StoredName<SweepState>.Of(s) : "no sweep yet";
                // The dashboard humanizes state text (punctuation goes), but shows a link's text as it is.
                var link = new UrlSnapshot("latest", new Uri(new Uri(resource.Scheduler.Url), "/api/sweeps/latest").ToString(), IsInternal: false)
                {
                    DisplayProperties = new UrlDisplayPropertiesSnapshot(summary.Text),
                };
                await notifications.PublishUpdateAsync(resource, s => s with
                {
                    State = new ResourceStateSnapshot(state, style),
                    Urls = [link],
                });
            }
        }

        private async Task<Summary?> ReadSummaryAsync(CancellationToken cancellationToken)
        {
            try
            {
                using var http = httpClientFactory.CreateClient(nameof(SweepProgressResource));
                return await http.GetFromJsonAsync<Summary>(new Uri(new Uri(resource.Scheduler.Url), "/health/sweep"), Json, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException)
            {
                // The scheduler is not up yet (or its endpoint not allocated): the row keeps its last text.
                logger.LogDebug(ex, "Sweep progress not available yet");
                return null;
            }
        }
    }
}
