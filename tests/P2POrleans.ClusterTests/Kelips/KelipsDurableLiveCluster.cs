namespace P2POrleans.ClusterTests.Kelips;

[CollectionDefinition(Name)]
public sealed class KelipsDurableLiveCluster : ICollectionFixture<RedisStorageClusterFixture>
{
    public const string Name = "kelips durable live-clock cluster (redis storage, kills a silo)";
}
