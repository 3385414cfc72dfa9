namespace P2POrleans.ClusterTests.BitTorrent;

[CollectionDefinition(Name)]
public sealed class SwarmKillableCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "bittorrent killable cluster";
}
