namespace P2POrleans.ClusterTests.BitTorrent;

[CollectionDefinition(Name)]
public sealed class SwarmDriverKillableCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "bittorrent driver killable cluster";
}
