namespace P2POrleans.ClusterTests.Kelips;

/// <summary>A cluster of its own for the Kelips spread-replicas test, which kills a silo.</summary>
public sealed class KelipsSpreadKillableClusterFixture : ClusterFixture;
