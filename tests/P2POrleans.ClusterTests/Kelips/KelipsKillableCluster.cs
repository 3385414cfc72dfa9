namespace P2POrleans.ClusterTests.Kelips;

[CollectionDefinition(Name)]
public sealed class KelipsKillableCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "kelips killable cluster";
}
