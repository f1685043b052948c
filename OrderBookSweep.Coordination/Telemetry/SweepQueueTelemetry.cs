using System.Diagnostics;

namespace OrderBookSweep.Coordination.Telemetry;

/// <summary>
/// Spans for the sweep-job queue, after the OpenTelemetry messaging conventions: the scheduler's
/// "sweep-jobs publish" (Producer) and the worker's "sweep-jobs process" (Consumer) share one
/// trace because the W3C trace context travels inside each job.
/// </summary>
public static class SweepQueueTelemetry
{
    public const string ActivitySourceName = "OrderBookSweep.Coordination";

    /// <summary>The queue's name as telemetry shows it (messaging.destination.name).</summary>
    public const string Destination = "sweep-jobs";

    public static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>Starts the span that enqueues a sweep's jobs; its context is what the jobs carry.</summary>
    public static Activity? StartPublish(int jobCount)
    {
        var activity = Source.StartActivity($"{Destination} publish", ActivityKind.Producer);
        SetMessagingTags(activity, "publish", "send");
        activity?.SetTag("messaging.batch.message_count", jobCount);
        return activity;
    }

    /// <summary>
    /// Starts the span that processes one job, as a child of the context the job carries (so the
    /// dashboard shows sweep, enqueue and the work on each exchange as one trace).
    /// </summary>
    public static Activity? StartProcess(string? traceParent, string? traceState, long sweepId, string exchange, int attempt)
    {
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent);
        var activity = Source.StartActivity($"{Destination} process", ActivityKind.Consumer, parent);
        SetMessagingTags(activity, "process", "process");
        activity?.SetTag("messaging.message.id", $"{sweepId}:{exchange}");
        activity?.SetTag("sweep.id", sweepId);
        activity?.SetTag("exchange.id", exchange);
        activity?.SetTag("sweep.job.attempt", attempt);
        return activity;
    }

    /// <summary>The current trace context in W3C form, for the jobs a sweep enqueues.</summary>
    public static (string? TraceParent, string? TraceState) CurrentContext() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current
            ? (current.Id, current.TraceStateString)
            : (null, null);

    private static void SetMessagingTags(Activity? activity, string operationName, string operationType)
    {
        activity?.SetTag("messaging.system", "redis");
        activity?.SetTag("messaging.destination.name", Destination);
        activity?.SetTag("messaging.operation.name", operationName);
        activity?.SetTag("messaging.operation.type", operationType);
    }
}
