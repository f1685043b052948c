using System.Reflection;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Internal;

/// <summary>
/// Scripts kept as embedded <c>Scripts/*.lua</c> files, each prepared once with named
/// parameters: a <see cref="RedisKey"/> member becomes a KEYS entry, anything else ARGV (Garnet's
/// transactional Lua locks only the keys passed in KEYS).
/// </summary>
internal static class BoardScripts
{
    public static LuaScript RequeueDeadLetter { get; } = Load("RequeueDeadLetter");

    private static LuaScript Load(string name)
    {
        var resource = $"OrderBookSweep.Coordination.Scripts.{name}.lua";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded script {resource} is missing.");
        using var reader = new StreamReader(stream);
        return LuaScript.Prepare(reader.ReadToEnd());
    }
}
