namespace P2POrleans.ClusterTests.Pastry;

[CollectionDefinition(Name)]
public sealed class PastryDurableLiveCluster : ICollectionFixture<RedisStorageClusterFixture>
{
    public const string Name = "pastry durable live-clock cluster (redis storage, kills a silo)";
}
