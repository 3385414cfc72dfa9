using FsCheck.Xunit;
using Microsoft.Extensions.Configuration;
using P2POrleans.Common;
using P2POrleans.Hosting;

namespace P2POrleans.Tests.Common;

/// <summary>The clustering options the silo and the client share.</summary>
public sealed class ClusteringSettingsTests
{
    private static (bool Ok, ClusteringSettings Settings, string Error) Parse(params string[] pairs)
    {
        var values = new Dictionary<string, string?>();
        for (var i = 0; i < pairs.Length; i += 2)
        {
            values[pairs[i]] = pairs[i + 1];
        }

        var ok = ClusteringSettings.TryParse(k => values.GetValueOrDefault(k), out var settings, out var error);
        return (ok, settings, error);
    }

    [Fact]
    public void Nothing_given_is_localhost_clustering_with_memory_storage_and_gateway_30000()
    {
        var (ok, s, _) = Parse();
        Assert.True(ok);
        Assert.Equal(ClusteringMode.Localhost, s.Clustering);
        Assert.Equal(StorageMode.Memory, s.Storage);
        Assert.Null(s.RedisConnection);
        Assert.Equal("dev", s.ClusterId);
        Assert.Equal([30000], s.Gateways);
    }

    [Fact]
    public void Redis_clustering_stores_durable_peers_in_redis_by_default()
    {
        var (ok, s, _) = Parse("clustering", "Redis", "redis-connection", " 127.0.0.1:6379 ", "cluster-id", "ring-a");
        Assert.True(ok);
        Assert.Equal(ClusteringMode.Redis, s.Clustering);
        Assert.Equal(StorageMode.Redis, s.Storage);
        Assert.Equal("127.0.0.1:6379", s.RedisConnection);
        Assert.Equal("ring-a", s.ClusterId);
    }

    [Fact]
    public void Redis_clustering_can_keep_memory_storage_and_localhost_can_use_redis_storage()
    {
        Assert.Equal(StorageMode.Memory, Parse("clustering", "redis", "redis-connection", "localhost", "storage", "memory").Settings.Storage);
        var (ok, s, _) = Parse("storage", "redis", "redis-connection", "127.0.0.1:7000,password=x");
        Assert.True(ok);
        Assert.Equal((ClusteringMode.Localhost, StorageMode.Redis), (s.Clustering, s.Storage));
    }

    [Fact]
    public void A_gateway_list_is_parsed_and_deduplicated()
    {
        var (ok, s, _) = Parse("gateway", "30001, 30003,30001");
        Assert.True(ok);
        Assert.Equal([30001, 30003], s.Gateways);
    }

    [Theory]
    [InlineData("unknown clustering 'zookeeper'", "clustering", "zookeeper")]
    [InlineData("needs --redis-connection", "clustering", "redis")]
    [InlineData("needs --redis-connection", "clustering", "redis", "redis-connection", "  ")]
    [InlineData("needs --redis-connection", "storage", "redis")]
    [InlineData("unknown storage 'disk'", "storage", "disk")]
    [InlineData("port of '127.0.0.1:abc'", "clustering", "redis", "redis-connection", "127.0.0.1:abc")]
    [InlineData("port of 'h:70000'", "clustering", "redis", "redis-connection", "h:70000")]
    [InlineData("empty element", "clustering", "redis", "redis-connection", "127.0.0.1:6379,,")]
    [InlineData("is not HOST:PORT", "clustering", "redis", "redis-connection", "a b:1")]
    [InlineData("no HOST:PORT endpoint", "clustering", "redis", "redis-connection", "password=x")]
    [InlineData("'bogus' is not supported", "clustering", "redis", "redis-connection", "127.0.0.1:6379,bogus=1")]
    [InlineData("used only with --clustering redis", "redis-connection", "127.0.0.1:6379")]
    [InlineData("--cluster-id must be", "cluster-id", "a/b")]
    [InlineData("--cluster-id must be", "cluster-id", "")]
    [InlineData("--gateway takes ports", "gateway", "30000,x")]
    [InlineData("--gateway takes ports", "gateway", "0")]
    [InlineData("--gateway takes ports", "gateway", "")]
    [InlineData("gateways come from Redis", "clustering", "redis", "redis-connection", "h:1", "gateway", "30000")]
    public void Bad_values_give_one_clear_line(string expected, params string[] pairs)
    {
        var (ok, _, error) = Parse(pairs);
        Assert.False(ok);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Configuration_reads_plain_keys_before_the_P2P_section()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["P2P:Clustering"] = "redis",
            ["P2P:RedisConnection"] = "127.0.0.1:1111",
            ["redis-connection"] = "127.0.0.1:2222",
            ["P2P:ClusterId"] = "from-env",
        }).Build();
        Assert.True(ClusteringSettings.TryParse(config, out var s, out var error), error);
        Assert.Equal((ClusteringMode.Redis, "127.0.0.1:2222", "from-env"), (s.Clustering, s.RedisConnection, s.ClusterId));
    }

    [Fact]
    public void Environment_style_keys_are_read_through_the_P2P_section()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["P2P:CLUSTERING"] = "redis",
            ["p2p:redisconnection"] = "127.0.0.1:6379",
        }).Build();
        Assert.True(ClusteringSettings.TryParse(config, out var s, out _));
        Assert.Equal(ClusteringMode.Redis, s.Clustering);
    }

    /// <summary>Fuzz: any values for any keys parse or give one line; never an exception.</summary>
    [Property(MaxTest = 3000)]
    public bool Arbitrary_values_never_throw(string?[] values)
    {
        var given = (values ?? []).Take(ClusteringSettings.Keys.Length).ToArray();
        var ok = ClusteringSettings.TryParse(k => Array.IndexOf(ClusteringSettings.Keys, k) is var i && i < given.Length ? given[i] : null, out var s, out var error);
        return ok ? s is not null : error.Length > 0 && !error.Contains('\n', StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_redis_is_one_line_quickly()
    {
        // Port 1 on loopback refuses at once; the probe must not retry for long.
        var problem = await P2PClustering.RedisProblemAsync("127.0.0.1:1", TestContext.Current.CancellationToken);
        Assert.NotNull(problem);
        Assert.Contains("cannot reach Redis at '127.0.0.1:1'", problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }
}
