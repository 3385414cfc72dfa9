namespace P2POrleans.ClusterTests.Chord;

[CollectionDefinition(Name)]
public sealed class ChordSpreadKillableCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "chord spread-replicas killable cluster";
}
