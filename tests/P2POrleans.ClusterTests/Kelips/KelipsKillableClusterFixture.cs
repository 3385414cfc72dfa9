namespace P2POrleans.ClusterTests.Kelips;

/// <summary>A cluster of its own for the Kelips test that kills a silo (killed silos do not come back).</summary>
public sealed class KelipsKillableClusterFixture : ClusterFixture;
