using Orleans.TestingHost;
using P2POrleans.Common;
using P2POrleans.Testing;
using StackExchange.Redis;

namespace P2POrleans.ClusterTests;

/// <summary>
/// A killable 3-silo cluster whose durable-peer storage (<see cref="P2PStorage.Name"/>) is a private
/// redis-server: in-memory grain storage lives on the silos and would die with the killed one.
/// Every collection that uses it gets its own instance (xunit creates collection fixtures per
/// collection), so a collection that kills a silo spoils no other.
/// </summary>
public sealed class RedisStorageClusterFixture : ClusterFixture
{
    private const string ConnectionKey = "P2PTest:RedisStorage";

    public RedisServer Redis { get; private set; } = null!;

    protected override async ValueTask ConfigureAsync(TestClusterBuilder builder)
    {
        Redis = await RedisServer.StartAsync();
        builder.Properties[ConnectionKey] = Redis.ConnectionString;
        builder.AddSiloBuilderConfigurator<RedisStorageConfigurator>();
    }

    protected override async ValueTask CleanupAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    public sealed class RedisStorageConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connection = siloBuilder.Configuration[ConnectionKey]
                ?? throw new InvalidOperationException($"{ConnectionKey} is not set");
            siloBuilder.AddRedisGrainStorage(P2PStorage.Name, options =>
            {
                options.ConfigurationOptions = ConfigurationOptions.Parse(connection);
                options.DeleteStateOnClear = true; // a peer that fails or leaves leaves no record behind
            });
        }
    }
}
