namespace P2POrleans.Client.ClusterDemo;

/// <summary>One pass of the cluster scene over every key: gets answered with the right value per ring, gets that needed a retry, and what the others answered.</summary>
public sealed record ClusterScenePass(IReadOnlyDictionary<string, int> FoundPerRing, int Gets, int Retried, IReadOnlyList<string> Errors, TimeSpan Took)
{
    public int Found => FoundPerRing.Values.Sum();
}
