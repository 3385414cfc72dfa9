namespace P2POrleans.ClusterTests.Kelips;

[CollectionDefinition(Name)]
public sealed class KelipsSpreadKillableCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "kelips spread replicas cluster (kills a silo)";
}
