namespace P2POrleans.ClusterTests.Napster;

[CollectionDefinition(Name)]
public sealed class NapsterKillableCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "napster killable cluster";
}
