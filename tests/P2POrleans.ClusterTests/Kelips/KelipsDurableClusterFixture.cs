namespace P2POrleans.ClusterTests.Kelips;

/// <summary>The Kelips durable-peer tests' own killable cluster with Redis grain storage.</summary>
public sealed class KelipsDurableClusterFixture : RedisStorageClusterFixture;
