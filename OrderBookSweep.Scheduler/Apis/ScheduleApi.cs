using OrderBookSweep.Scheduler.Services;

namespace OrderBookSweep.Scheduler.Apis;

/// <summary>Pause and resume the interval sweeps (dashboard commands use these).</summary>
public static class ScheduleApi
{
    public static RouteGroupBuilder MapScheduleApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/schedule").WithTags("Schedule");

        api.MapGet("/", (IntervalSweeps schedule, Microsoft.Extensions.Options.IOptions<SweepOptions> options) =>
            TypedResults.Ok(new ScheduleState(options.Value.Interval, schedule.IsPaused, schedule.NextSweepAt)));
        api.MapPost("/pause", (IntervalSweeps schedule) => { schedule.Pause(); return TypedResults.NoContent(); }).RequireApiKey();
        api.MapPost("/resume", (IntervalSweeps schedule) => { schedule.Resume(); return TypedResults.NoContent(); }).RequireApiKey();

        return api;
    }
}

/// <summary>The interval (zero: on demand only), whether it is paused, and when the next interval sweep is due.</summary>
public sealed record ScheduleState(TimeSpan Interval, bool Paused, DateTimeOffset? NextSweepAt);
