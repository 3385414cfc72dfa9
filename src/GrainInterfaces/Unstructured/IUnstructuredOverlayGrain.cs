namespace P2POrleans.Unstructured;

/// <summary>Whole-overlay operations every unstructured overlay grain has (key = overlay name); creation takes the protocol's parameters.</summary>
public interface IUnstructuredOverlayGrain : IGrainWithStringKey
{
    /// <summary>A new peer joins with these file names; returns its number.</summary>
    Task<int> JoinAsync(IReadOnlyList<string> files);

    /// <summary>The live peers and their links, read from the peers.</summary>
    Task<IReadOnlyList<UnstructuredPeerView>> PeersAsync();

    /// <summary>The node if it is a member; one clear error otherwise.</summary>
    Task<int> RequireMemberAsync(int node);
}
