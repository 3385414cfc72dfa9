namespace P2POrleans.ClusterTests.Pastry;

[CollectionDefinition(Name)]
public sealed class PastryDurableCluster : ICollectionFixture<RedisStorageClusterFixture>
{
    public const string Name = "pastry durable cluster (redis storage, kills a silo)";
}
