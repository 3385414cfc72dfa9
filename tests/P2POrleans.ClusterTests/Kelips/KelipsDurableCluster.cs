namespace P2POrleans.ClusterTests.Kelips;

[CollectionDefinition(Name)]
public sealed class KelipsDurableCluster : ICollectionFixture<RedisStorageClusterFixture>
{
    public const string Name = "kelips durable cluster (redis storage, kills a silo)";
}
