namespace P2POrleans.ClusterTests.Pastry;

/// <summary>A cluster of its own for the live-clock durable test: the other durable tests kill a silo of their cluster too.</summary>
public sealed class PastryDurableLiveClusterFixture : RedisStorageClusterFixture;
