namespace P2POrleans.ClusterTests.Kelips;

/// <summary>A cluster of its own for the live-clock durable test: the other durable test kills a silo of its cluster too.</summary>
public sealed class KelipsDurableLiveClusterFixture : RedisStorageClusterFixture;
