
namespace P2POrleans.Unstructured.Flooding;

/// <summary>What one flood did overall: the peers that accepted the originated descriptor, every message, what was delivered where.</summary>
public sealed record FloodSummary(
    IReadOnlySet<int> Reached,
    DescriptorCounts Sent,
    IReadOnlyList<DeliveredDescriptor> Delivered,
    int Rounds,
    int Rejected)
{
    /// <summary>Round by round: who took the descriptor first, and the messages sent (the page draws these waves).</summary>
    public IReadOnlyList<FloodWave> Waves { get; init; } = [];
}
