namespace P2POrleans.ClusterTests.Chord;

[CollectionDefinition(Name)]
public sealed class ChordDurableCluster : ICollectionFixture<RedisStorageClusterFixture>
{
    public const string Name = "chord durable cluster (redis storage, kills a silo)";
}
