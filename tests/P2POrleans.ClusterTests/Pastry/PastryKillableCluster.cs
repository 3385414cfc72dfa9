namespace P2POrleans.ClusterTests.Pastry;

[CollectionDefinition(Name)]
public sealed class PastryKillableCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "pastry killable cluster";
}
