namespace P2POrleans.ClusterTests.Pastry;

/// <summary>The Pastry durable-peer tests' own killable cluster with Redis grain storage.</summary>
public sealed class PastryDurableClusterFixture : RedisStorageClusterFixture;
