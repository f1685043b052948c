using System.Globalization;
using System.Text;
using OrderBookSweep.Coordination;

namespace OrderBookSweep.Harness.Drill;

/// <summary>What the drill saw: the table of its measures and musts (docs/reliability.md), and the violations of the musts.</summary>
public sealed class DrillReport(DrillOptions options)
{
    private readonly List<Injection> _injections = [];
    private readonly Dictionary<ExchangeOutcomeKind, int> _outcomes = new();
    private readonly List<string> _lost = [];

    public IReadOnlyList<Injection> Injections => _injections;

    public IReadOnlyDictionary<ExchangeOutcomeKind, int> Outcomes => _outcomes;

    public int Sweeps { get; private set; }

    /// <summary>Requested exchanges with no recorded outcome once their sweep ended (or timed out).</summary>
    public int JobsLost => _lost.Count;

    public IReadOnlyList<string> LostJobs => _lost;

    public int MaxDistinctExchangesInFlight { get; set; }

    public long ExchangesWorkedTwiceAtOnce { get; set; }

    public string OverlapDetails { get; set; } = "";

    public TimeSpan Elapsed { get; set; }

    /// <summary>A killed worker's jobs should be back within one lease plus a second.</summary>
    public TimeSpan RecoveryTarget => options.LeaseDuration + TimeSpan.FromSeconds(1);

    public void Add(Injection injection) => _injections.Add(injection);

    public void AddSweep(long sweepId, IReadOnlyList<string> requested, SweepStatus? status)
    {
        Sweeps++;
        foreach (var exchange in requested)
        {
            if (status?.Outcomes.GetValueOrDefault(exchange) is { } outcome && status.State != SweepState.Running)
            {
                _outcomes[outcome.Outcome] = _outcomes.GetValueOrDefault(outcome.Outcome) + 1;
            }
            else
            {
                _lost.Add($"{sweepId}|{exchange}");
            }
        }
    }

    /// <summary>The musts: nothing lost, the cap held, nothing worked on twice at once, every kill recovered.</summary>
    public IReadOnlyList<string> Violations()
    {
        var violations = new List<string>();
        if (JobsLost > 0)
        {
            violations.Add($"jobs lost: {string.Join(", ", _lost)}");
        }
        if (MaxDistinctExchangesInFlight > options.Cap)
        {
            violations.Add($"the simulator saw {MaxDistinctExchangesInFlight} exchanges in flight at once (cap {options.Cap})");
        }
        if (ExchangesWorkedTwiceAtOnce > 0)
        {
            violations.Add($"exchanges worked on by two workers at once: {OverlapDetails}");
        }
        violations.AddRange(_injections.Where(i => !i.Recovered).Select(i => $"no recovery after {Name(i.Kind)} ({i.Target}): {i.Note}"));
        return violations;
    }

    public string Format()
    {
        var table = new StringBuilder();
        void Row(string what, string value, string note = "") =>
            table.AppendLine(CultureInfo.InvariantCulture, $"| {what,-46} | {value,-40} | {note,-12} |");

        table.AppendLine(CultureInfo.InvariantCulture,
            $"Reliability drill: {Elapsed:mm\\:ss} (mm:ss), seed {options.Seed}, {options.WorkerReplicas} worker replicas, redis-server with AOF (everysec), lease {options.LeaseDuration.TotalSeconds:0.#} s, cap {options.Cap}");
        Row("measure", "value", "must");
        table.AppendLine($"|{new string('-', 48)}|{new string('-', 42)}|{new string('-', 14)}|");
        Row("faults injected", _injections.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var group in _injections.GroupBy(i => i.Kind).OrderBy(g => g.Key))
        {
            Row($"  {Name(group.Key)}", group.Count().ToString(CultureInfo.InvariantCulture));
        }
        Row("sweeps run", Sweeps.ToString(CultureInfo.InvariantCulture));
        Row("exchanges per outcome", string.Join(", ", _outcomes.OrderByDescending(o => o.Value).Select(o => $"{StoredName<ExchangeOutcomeKind>.Of(o.Key)} {o.Value}")));
        Row("jobs lost", JobsLost.ToString(CultureInfo.InvariantCulture), "0");
        Row("max distinct exchanges in flight (simulator)", MaxDistinctExchangesInFlight.ToString(CultureInfo.InvariantCulture), $"<= {options.Cap}");
        Row("exchanges worked on twice at once (simulator)", ExchangesWorkedTwiceAtOnce.ToString(CultureInfo.InvariantCulture), "0");
        foreach (var group in _injections.Where(i => Injection.IsProcessFault(i.Kind)).GroupBy(i => i.Kind).OrderBy(g => g.Key))
        {
            var times = group.Where(i => i.Recovery is not null).Select(i => i.Recovery!.Value.TotalSeconds).Order().ToList();
            var value = times.Count == 0
                ? "nothing to recover"
                : $"n={times.Count} min {times[0]:0.0} s, median {times[times.Count / 2]:0.0} s, max {times[^1]:0.0} s";
            var note = group.Key is InjectionKind.KillPermitHolder or InjectionKind.KillPermitWaiter ? $"<= {RecoveryTarget.TotalSeconds:0} s" : "";
            Row($"recovery after {Name(group.Key)}", value, note);
        }
        var violations = Violations();
        table.AppendLine(violations.Count == 0 ? "PASS: every must held." : "FAIL:" + Environment.NewLine + string.Join(Environment.NewLine, violations.Select(v => "  " + v)));
        return table.ToString();
    }

    public static string Name(InjectionKind kind) => kind switch
    {
        InjectionKind.KillPermitHolder => "kill -9 worker mid-exchange",
        InjectionKind.KillPermitWaiter => "kill -9 worker waiting for a permit",
        InjectionKind.KillEngine => "kill -9 ccxt engine",
        InjectionKind.RestartRedis => "kill -9 + restart redis-server",
        InjectionKind.RestartScheduler => "restart scheduler mid-sweep",
        InjectionKind.RateLimitStorm => "429 storm (3 exchanges)",
        InjectionKind.Hang => "hang past the request timeout",
        InjectionKind.Reset => "connection reset",
        InjectionKind.Malformed => "malformed JSON",
        InjectionKind.Html => "HTML page",
        InjectionKind.Empty => "empty markets or book",
        _ => kind.ToString(),
    };
}
