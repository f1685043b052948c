using System.Text;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// The Lua scripts, one embedded file each under Scripts/ with its invariants at its top, bound
/// by name (<see cref="CoordinationScript"/>). Every key a script touches is a member typed
/// <see cref="RedisKey"/>, passed as KEYS, which Garnet's transactional Lua mode needs (it locks
/// only KEYS). Each script is prefixed with the constants below and Scripts/Library.lua (the
/// server clock and the shared functions).
/// </summary>
internal static partial class CoordinationScripts
{
    private static readonly string Prologue = Constants() + Resource("Library");

    public static CoordinationScript StartSweep { get; } = Load(nameof(StartSweep));

    public static CoordinationScript ClaimJob { get; } = Load(nameof(ClaimJob));

    public static CoordinationScript RenewJob { get; } = Load(nameof(RenewJob));

    public static CoordinationScript FinishJob { get; } = Load(nameof(FinishJob));

    public static CoordinationScript RetryJob { get; } = Load(nameof(RetryJob));

    public static CoordinationScript AbandonJob { get; } = Load(nameof(AbandonJob));

    public static CoordinationScript CancelSweep { get; } = Load(nameof(CancelSweep));

    public static CoordinationScript ReconcileSweep { get; } = Load(nameof(ReconcileSweep));

    public static CoordinationScript PublishBooks { get; } = Load(nameof(PublishBooks));

    public static CoordinationScript ReadSweep { get; } = Load(nameof(ReadSweep));

    public static CoordinationScript AcquirePermit { get; } = Load(nameof(AcquirePermit));

    public static CoordinationScript RenewPermit { get; } = Load(nameof(RenewPermit));

    public static CoordinationScript ReleasePermit { get; } = Load(nameof(ReleasePermit));

    public static CoordinationScript CancelAcquire { get; } = Load(nameof(CancelAcquire));

    public static CoordinationScript ReadHolders { get; } = Load(nameof(ReadHolders));

    public static CoordinationScript RequeueDeadLetter { get; } = Load(nameof(RequeueDeadLetter));

    private static CoordinationScript Load(string name) => new(Prologue + Resource(name));

    private static string Resource(string name)
    {
        using var stream = typeof(CoordinationScripts).Assembly.GetManifestResourceStream($"Scripts/{name}.lua")
            ?? throw new InvalidOperationException($"Scripts/{name}.lua is not embedded in {typeof(CoordinationScripts).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The stored names the scripts write, from the enums that own them (STATE_RUNNING,
    /// OUTCOME_DEAD_LETTERED, ...), and the payload format version: one spelling for C# and Lua.
    /// </summary>
    private static string Constants()
    {
        var lua = new StringBuilder();
        lua.Append("local FORMAT_VERSION = ").Append(StoredPayload.CurrentVersion).Append('\n');
        foreach (var (state, name) in StoredName<SweepState>.All)
        {
            lua.Append("local STATE_").Append(UpperSnake(state.ToString())).Append(" = '").Append(name).Append("'\n");
        }

        foreach (var (outcome, name) in StoredName<ExchangeOutcomeKind>.All)
        {
            lua.Append("local OUTCOME_").Append(UpperSnake(outcome.ToString())).Append(" = '").Append(name).Append("'\n");
        }

        return lua.ToString();
    }

    private static string UpperSnake(string pascal) => WordStart().Replace(pascal, "_").ToUpperInvariant();

    [GeneratedRegex("(?<=[a-z])(?=[A-Z])")]
    private static partial Regex WordStart();
}
