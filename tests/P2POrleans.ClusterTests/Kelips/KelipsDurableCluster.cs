namespace P2POrleans.ClusterTests.Kelips;

[CollectionDefinition(Name)]
public sealed class KelipsDurableCluster : ICollectionFixture<KelipsDurableClusterFixture>
{
    public const string Name = "kelips durable cluster (redis storage, kills a silo)";
}
