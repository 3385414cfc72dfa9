namespace P2POrleans.Client.ClusterDemo;

/// <summary>
/// One pass of the cluster scene over every key: gets answered with the right value per ring, gets that
/// needed more than one try and when the last of them started (on the pass's clock), per ring, what the
/// failed tries met ("ring: cause" → tries), and what the gets that failed answered.
/// </summary>
public sealed record ClusterScenePass(IReadOnlyDictionary<string, int> FoundPerRing, int Gets, IReadOnlyDictionary<string, int> RetriedPerRing, IReadOnlyDictionary<string, TimeSpan> LastRetried, IReadOnlyDictionary<string, int> FailedTries, IReadOnlyList<string> Errors, TimeSpan Took)
{
    public int Found => FoundPerRing.Values.Sum();
}
