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
internal sealed partial class CoordinationScript
{
    private readonly string[] _names;
    private readonly ConcurrentDictionary<Type, Binding> _bindings = new();

    public CoordinationScript(string source)
    {
        var names = new List<string>();
        Text = ParameterName().Replace(source, m =>
        {
            var index = names.IndexOf(m.Groups[1].Value);
            if (index < 0)
            {
                index = names.Count;
                names.Add(m.Groups[1].Value);
            }

            return $"ARGV[{index + 1}]";
        });
        _names = [.. names];
    }

    /// <summary>The script as sent: every <c>@name</c> replaced by its ARGV.</summary>
    public string Text { get; }

    public Task<RedisResult> EvaluateAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(
        IDatabaseAsync db, T parameters)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var binding = _bindings.GetOrAdd(typeof(T), static (_, names) => Binding.For(typeof(T), names), _names);
        var keys = new RedisKey[binding.KeyCount];
        var values = new RedisValue[binding.Members.Length];
        for (int i = 0, k = 0; i < values.Length; i++)
        {
            var value = binding.Members[i].GetValue(parameters);
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

        // StackExchange.Redis sends EVALSHA once the server knows the script, EVAL the first time.
        return db.ScriptEvaluateAsync(Text, keys, values);
    }

    [GeneratedRegex("@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterName();

    private sealed record Binding(PropertyInfo[] Members, int KeyCount)
    {
        public static Binding For([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type, string[] names)
        {
            var members = names.Select(name => type.GetProperty(name)
                ?? throw new ArgumentException($"The script's @{name} has no member of that name in {type.Name}.")).ToArray();
            return new Binding(members, members.Count(m => m.PropertyType == typeof(RedisKey)));
        }
    }
}
