namespace P2POrleans.ClusterTests.FastTrack;

[CollectionDefinition(Name)]
public sealed class FastTrackKillableCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "fasttrack killable cluster";
}
