namespace P2POrleans.ClusterTests.Chord;

/// <summary>The Chord durable-peer tests' own killable cluster with Redis grain storage.</summary>
public sealed class ChordDurableClusterFixture : RedisStorageClusterFixture;
