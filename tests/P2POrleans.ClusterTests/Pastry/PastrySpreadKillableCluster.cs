namespace P2POrleans.ClusterTests.Pastry;

[CollectionDefinition(Name)]
public sealed class PastrySpreadKillableCluster : ICollectionFixture<PastrySpreadKillableClusterFixture>
{
    public const string Name = "pastry spread-replicas killable cluster";
}
