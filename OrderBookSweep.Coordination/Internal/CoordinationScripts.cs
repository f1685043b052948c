using System.Text;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// The Lua scripts, one embedded file each under Scripts/ with its invariants at its top, bound
/// by name: StackExchange.Redis turns each <c>@name</c> into KEYS (members typed
/// <see cref="RedisKey"/>) or ARGV (the rest). Every key a script touches is a KEYS member, which
/// Garnet's transactional Lua mode needs (it locks only KEYS). Each script is prefixed with the
/// constants below and Scripts/Library.lua (the server clock and the shared functions).
/// </summary>
internal static partial class CoordinationScripts
{
    private static readonly string Prologue = Constants() + Resource("Library");

    public static LuaScript StartSweep { get; } = Load(nameof(StartSweep));

    public static LuaScript ClaimJob { get; } = Load(nameof(ClaimJob));

    public static LuaScript RenewJob { get; } = Load(nameof(RenewJob));

    public static LuaScript FinishJob { get; } = Load(nameof(FinishJob));

    public static LuaScript RetryJob { get; } = Load(nameof(RetryJob));

    public static LuaScript AbandonJob { get; } = Load(nameof(AbandonJob));

    public static LuaScript CancelSweep { get; } = Load(nameof(CancelSweep));

    public static LuaScript ReconcileSweep { get; } = Load(nameof(ReconcileSweep));

    public static LuaScript PublishBook { get; } = Load(nameof(PublishBook));

    public static LuaScript ReadSweep { get; } = Load(nameof(ReadSweep));

    public static LuaScript AcquirePermit { get; } = Load(nameof(AcquirePermit));

    public static LuaScript RenewPermit { get; } = Load(nameof(RenewPermit));

    public static LuaScript ReleasePermit { get; } = Load(nameof(ReleasePermit));

    public static LuaScript LeaveWaiters { get; } = Load(nameof(LeaveWaiters));

    public static LuaScript ReadHolders { get; } = Load(nameof(ReadHolders));

    public static LuaScript RequeueDeadLetter { get; } = Load(nameof(RequeueDeadLetter));

    private static LuaScript Load(string name) => LuaScript.Prepare(Prologue + Resource(name));

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
