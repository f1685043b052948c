using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// One Lua script whose <c>@name</c>s are bound to the members of the same name of a parameters
/// object. Each distinct name becomes an ARGV, in order of first appearance; members typed
/// <see cref="RedisKey"/> are also passed as KEYS (the keys a script touches, which Garnet's
/// transactional Lua mode locks and a cluster routes by). The same convention as
/// StackExchange.Redis's LuaScript, bound here from the members the compiler keeps for each call
/// site's type: LuaScript compiles expressions at run time, which the ahead-of-time compiled
/// worker cannot.
/// </summary>
/// <remarks>
/// A script that takes a variable number of items (a batch) names them as lists: a member typed
/// <see cref="RedisKey"/>[] is passed in KEYS after the single keys, one typed
/// <see cref="RedisValue"/>[] in ARGV after the single values, and the list's <c>@name</c> stands
/// for the index of its first element there. At most one list of each kind.
/// </remarks>
internal sealed partial class CoordinationScript
{
    private readonly string _source;
    private readonly string[] _names;
    private readonly ConcurrentDictionary<Type, Binding> _bindings = new();

    public CoordinationScript(string source)
    {
        _source = source;
        _names = [.. ParameterName().Matches(source).Select(m => m.Groups[1].Value).Distinct()];
    }

    /// <summary>The script as sent when every name is a single value: <c>@name</c> replaced by its ARGV.</summary>
    public string Text => Bind(_names.Select((name, i) => (name, $"ARGV[{i + 1}]")).ToDictionary());

    /// <summary>
    /// Runs the script; returns when the server answers or <paramref name="ct"/> is cancelled,
    /// whichever comes first. StackExchange.Redis takes no token, so cancelling stops the wait,
    /// not the script: nothing is sent once <paramref name="ct"/> is cancelled, but a script
    /// already sent may still run.
    /// </summary>
    public Task<RedisResult> EvaluateAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(
        IDatabaseAsync db, T parameters, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ct.ThrowIfCancellationRequested();
        var binding = _bindings.GetOrAdd(typeof(T), static (_, script) => Binding.For(typeof(T), script), this);
        var keyList = binding.KeyList?.GetValue(parameters) as RedisKey[] ?? NotNull<RedisKey>(binding.KeyList);
        var valueList = binding.ValueList?.GetValue(parameters) as RedisValue[] ?? NotNull<RedisValue>(binding.ValueList);
        var keys = new RedisKey[binding.SingleKeyCount + keyList.Length];
        var values = new RedisValue[binding.Singles.Length + valueList.Length];
        var k = 0;
        for (var i = 0; i < binding.Singles.Length; i++)
        {
            var value = binding.Singles[i].GetValue(parameters);
            if (value is RedisKey key)
            {
                keys[k++] = key;
                values[i] = (string?)key;
            }
            else
            {
                values[i] = RedisValue.Unbox(value);
            }
        }

        keyList.CopyTo(keys, k);
        valueList.CopyTo(values, binding.Singles.Length);

        // StackExchange.Redis sends EVALSHA once the server knows the script, EVAL the first time.
        return db.ScriptEvaluateAsync(binding.Text, keys, values).WaitAsync(ct);
    }

    private static TItem[] NotNull<TItem>(PropertyInfo? list) => list is null
        ? []
        : throw new ArgumentNullException(list.Name, $"The script's list @{list.Name} is null.");

    private string Bind(Dictionary<string, string> replacements) =>
        ParameterName().Replace(_source, m => replacements[m.Groups[1].Value]);

    [GeneratedRegex("@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterName();

    /// <summary>
    /// The members a parameters type binds: the single values in the order they are passed, the
    /// lists, and the script's text for them.
    /// </summary>
    private sealed record Binding(PropertyInfo[] Singles, int SingleKeyCount, PropertyInfo? KeyList, PropertyInfo? ValueList, string Text)
    {
        public static Binding For([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, CoordinationScript script)
        {
            var members = script._names.Select(name => type.GetProperty(name)
                ?? throw new ArgumentException($"The script's @{name} has no member of that name in {type.Name}.")).ToArray();
            var keyLists = members.Where(m => m.PropertyType == typeof(RedisKey[])).ToArray();
            var valueLists = members.Where(m => m.PropertyType == typeof(RedisValue[])).ToArray();
            if (keyLists.Length > 1 || valueLists.Length > 1)
            {
                throw new ArgumentException($"{type.Name} gives the script more than one list of keys or of values.");
            }

            var singles = members.Except(keyLists).Except(valueLists).ToArray();
            var singleKeyCount = singles.Count(m => m.PropertyType == typeof(RedisKey));
            var replacements = singles.Select((m, i) => (m.Name, $"ARGV[{i + 1}]"))
                .Concat(keyLists.Select(m => (m.Name, $"{singleKeyCount + 1}")))
                .Concat(valueLists.Select(m => (m.Name, $"{singles.Length + 1}")))
                .ToDictionary();
            return new Binding(singles, singleKeyCount, keyLists.SingleOrDefault(), valueLists.SingleOrDefault(), script.Bind(replacements));
        }
    }
}
