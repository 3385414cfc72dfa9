namespace P2POrleans.ClusterTests.Pastry;

[CollectionDefinition(Name)]
public sealed class PastryKillableCluster : ICollectionFixture<PastryKillableClusterFixture>
{
    public const string Name = "pastry killable cluster";
}
