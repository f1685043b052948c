using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using OrderBookSweep.Coordination;
using OrderBookSweep.Scheduler.Services;

namespace OrderBookSweep.Scheduler.Apis;

/// <summary>
/// What is happening now: the permits, the queue, the schedule and the latest sweep, as one
/// reading and as a stream of readings (server-sent events) for the board.
/// </summary>
public static class ActivityApi
{
    private static readonly TimeSpan StreamInterval = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapActivityApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/permits", async (QueueOverview queue, CancellationToken cancellationToken) =>
        {
            var state = await queue.GetAsync(cancellationToken);
            return TypedResults.Ok(new PermitsState(state.PermitCap, state.Holders, state.Waiters));
        }).WithTags("Activity");
        app.MapGet("/api/activity", GetActivity).WithTags("Activity");
        app.MapGet("/api/activity/stream", StreamActivity).WithTags("Activity").Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return app;
    }

    public static async Task<Activity> GetActivity(
        QueueOverview queue, SweepHistory history, IntervalSweeps schedule, IOptions<SweepOptions> options, CancellationToken cancellationToken)
    {
        var latest = await history.GetPageAsync(before: null, limit: 1, cancellationToken);
        return new Activity(
            latest.Items.FirstOrDefault(),
            await queue.GetAsync(cancellationToken),
            new ScheduleState(options.Value.Interval, schedule.IsPaused, schedule.NextSweepAt));
    }

    /// <summary>
    /// One "activity" event at once and then one whenever a reading (taken every second)
    /// differs from the last one sent. The headers go out first, so a client sees it is subscribed.
    /// </summary>
    public static async Task StreamActivity(
        HttpContext context, QueueOverview queue, SweepHistory history, IntervalSweeps schedule, IOptions<SweepOptions> options, CancellationToken cancellationToken)
    {
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
        try
        {
            await SseFormatter.WriteAsync(Readings(), context.Response.Body, (item, writer) => writer.Write(item.Data), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }

        async IAsyncEnumerable<SseItem<byte[]>> Readings()
        {
            byte[] last = [];
            using var timer = new PeriodicTimer(StreamInterval);
            do
            {
                var reading = JsonSerializer.SerializeToUtf8Bytes(await GetActivity(queue, history, schedule, options, cancellationToken), json);
                if (!reading.AsSpan().SequenceEqual(last))
                {
                    last = reading;
                    yield return new SseItem<byte[]>(reading, "activity");
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
    }
}

public sealed record Activity(SweepListItem? Latest, QueueState Queue, ScheduleState Schedule);

public sealed record PermitsState(int Cap, IReadOnlyList<PermitHolder> Holders, long Waiters);
