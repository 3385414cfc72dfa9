using P2POrleans.Common;

namespace P2POrleans.Client.Soak;

/// <summary>One overlay protocol as the churn soak drives it: join, crash, store and read keys.</summary>
public interface ISoakTarget
{
    string Protocol { get; }

    Task<IReadOnlyList<NodeId>> JoinAsync(IClusterClient client, string overlay, int count);

    Task FailAsync(IClusterClient client, string overlay, NodeId peer);

    Task PutAsync(IClusterClient client, string overlay, NodeId from, string key, string value);

    Task<SoakRead> GetAsync(IClusterClient client, string overlay, NodeId from, string key);
}
