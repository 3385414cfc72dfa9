namespace P2POrleans.FastTrack;

/// <summary>What a FastTrack peer does after a round of the stepped clock (<see cref="FastTrackNode.Tick"/>).</summary>
public enum FastTrackStep
{
    None,

    /// <summary>Its reputation passed the promotion threshold: it becomes a supernode.</summary>
    Promote,

    /// <summary>An ordinary peer without a supernode tries to attach to one.</summary>
    Attach,
}
