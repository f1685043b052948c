using OrderBookSweep.Coordination.Internal;
using StackExchange.Redis;

namespace OrderBookSweep.Coordination.Tests;

/// <summary>Binding a script's @names to a parameters object: what reaches KEYS and ARGV.</summary>
public abstract class CoordinationScriptSuite(ITestServer server) : CoordinationSuite(server)
{
    [Fact]
    public void Each_distinct_name_is_one_ARGV_in_order_of_first_appearance()
    {
        var script = new CoordinationScript("-- writes @b\nreturn {@a, @b, @a, @a_b}");

        Assert.Equal("-- writes ARGV[1]\nreturn {ARGV[2], ARGV[1], ARGV[2], ARGV[3]}", script.Text);
    }

    [Fact]
    public async Task Keys_go_to_KEYS_in_the_order_the_script_names_them_and_every_name_to_ARGV()
    {
        var client = await ConnectAsync();
        var script = new CoordinationScript(
            "redis.call('SET', @second, @count) return {#KEYS, KEYS[1], KEYS[2], @first, @second, @count, @label, redis.call('GET', @second)}");
        var first = (RedisKey)(Prefix + ":first");
        var second = (RedisKey)(Prefix + ":second");

        var result = (RedisResult[])(await script.EvaluateAsync(client.Database, new { first, label = "x y", count = 42L, second, unused = 7 }, CancellationToken.None))!;

        Assert.Equal(
            ["2", second.ToString(), first.ToString(), first.ToString(), second.ToString(), "42", "x y", "42"],
            result.Select(r => (string?)r));
    }

    [Fact]
    public async Task Lists_follow_the_single_keys_and_values_and_their_name_is_the_index_of_their_first_element()
    {
        var client = await ConnectAsync();
        var script = new CoordinationScript(
            "local r = {@first, @keyList, @valueList, @count} for i = @keyList, #KEYS do r[#r + 1] = KEYS[i] end "
            + "for i = @valueList, #ARGV do r[#r + 1] = ARGV[i] end return r");
        var first = (RedisKey)(Prefix + ":first");
        var keyList = new RedisKey[] { Prefix + ":a", Prefix + ":b" };

        var result = (RedisResult[])(await script.EvaluateAsync(client.Database, new { first, keyList, valueList = new RedisValue[] { "x", 3 }, count = 2 }, CancellationToken.None))!;

        // KEYS: first, a, b. ARGV: first, count, x, 3.
        Assert.Equal(
            [first.ToString(), "2", "3", "2", keyList[0].ToString(), keyList[1].ToString(), "x", "3"],
            result.Select(r => (string?)r));
        var empty = (RedisResult[])(await script.EvaluateAsync(client.Database, new { first, keyList = Array.Empty<RedisKey>(), valueList = Array.Empty<RedisValue>(), count = 0 }, CancellationToken.None))!;
        Assert.Equal([first.ToString(), "2", "3", "0"], empty.Select(r => (string?)r));
    }

    [Fact]
    public async Task A_null_list_or_two_lists_of_a_kind_are_clear_errors()
    {
        var client = await ConnectAsync();
        var script = new CoordinationScript("return {@one, @two}");

        await Assert.ThrowsAsync<ArgumentNullException>(() => script.EvaluateAsync(client.Database, new { one = (RedisValue[]?)null, two = 1 }, CancellationToken.None));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => script.EvaluateAsync(client.Database, new { one = new RedisValue[] { 1 }, two = new RedisValue[] { 2 } }, CancellationToken.None));
        Assert.Contains("more than one list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_with_no_member_of_that_name_is_a_clear_error_and_nothing_runs()
    {
        var client = await ConnectAsync();
        var key = (RedisKey)(Prefix + ":untouched");
        var script = new CoordinationScript("redis.call('SET', @key, @value) return 1");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => script.EvaluateAsync(client.Database, new { key, valu = "typo" }, CancellationToken.None));

        Assert.Contains("@value", error.Message, StringComparison.Ordinal);
        Assert.False(await client.Database.KeyExistsAsync(key));
    }
}

[Collection(RedisServerCollection.Name)]
public sealed class CoordinationScriptOnRedisServer(RedisServerProcess server) : CoordinationScriptSuite(server);

[Collection(GarnetCollection.Name)]
public sealed class CoordinationScriptOnGarnet(GarnetServer server) : CoordinationScriptSuite(server);
