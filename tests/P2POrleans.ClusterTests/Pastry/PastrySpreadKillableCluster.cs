namespace P2POrleans.ClusterTests.Pastry;

[CollectionDefinition(Name)]
public sealed class PastrySpreadKillableCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "pastry spread-replicas killable cluster";
}
