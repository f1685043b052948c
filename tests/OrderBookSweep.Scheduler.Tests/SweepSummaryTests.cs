using OrderBookSweep.Coordination;
using OrderBookSweep.Scheduler.Services;

namespace OrderBookSweep.Scheduler.Tests;

public sealed class SweepSummaryTests
{
    [Fact]
    public void A_running_sweep_reads_at_a_glance()
    {
        var sweep = Status(SweepState.Running, total: 104, claimed: 5, succeeded: 40, partial: 1, failed: 1, deadLettered: 1);

        Assert.Equal("sweep 7: 43/104 exchanges, 2 failed, 1 partial, 5 claimed", SweepMonitor.Describe(sweep));
    }

    [Fact]
    public void A_finished_sweep_says_how_it_ended()
    {
        var sweep = Status(SweepState.Completed, total: 6, claimed: 0, succeeded: 6, partial: 0, failed: 0, deadLettered: 0);

        Assert.Equal("sweep 7: 6/6 succeeded (completed)", SweepMonitor.Describe(sweep));
        Assert.Equal(
            "sweep 7: 6/6 exchanges, 1 failed (completed)",
            SweepMonitor.Describe(Status(SweepState.Completed, total: 6, claimed: 0, succeeded: 5, partial: 0, failed: 1, deadLettered: 0)));
    }

    [Fact]
    public void Exchanges_left_out_as_not_simulated_are_counted_apart_from_the_swept_ones()
    {
        var swept = ExchangeOutcome.Swept(0, new Dictionary<string, int>(), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        var notSimulated = swept with { Outcome = ExchangeOutcomeKind.NotSimulated };
        var sweep = Status(SweepState.Completed, total: 15, claimed: 0, succeeded: 15, partial: 0, failed: 0, deadLettered: 0) with
        {
            Outcomes = new Dictionary<string, ExchangeOutcome> { ["coinbase"] = notSimulated, ["cryptocom"] = notSimulated },
        };

        Assert.Equal("sweep 7: 15/15 succeeded, 2 not simulated (completed)", SweepMonitor.Describe(sweep));
    }

    private static SweepStatus Status(SweepState state, int total, int claimed, int succeeded, int partial, int failed, int deadLettered) =>
        new(7, state, DateTimeOffset.UnixEpoch, null, total, total - claimed - succeeded - partial - failed - deadLettered, claimed,
            succeeded, partial, failed, deadLettered, Cancelled: 0, new Dictionary<string, ExchangeOutcome>());
}
