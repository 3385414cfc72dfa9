namespace P2POrleans.ClusterTests.Pastry;

/// <summary>A cluster of its own for the Pastry test that kills a silo (killed silos do not come back).</summary>
public sealed class PastryKillableClusterFixture : ClusterFixture;
