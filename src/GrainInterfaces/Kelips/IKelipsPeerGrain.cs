using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// A Kelips peer. Key: "&lt;overlay&gt;/&lt;id hex&gt;". Every call to a peer that is not a member
/// (failed, left, never joined) throws <see cref="PeerUnreachableException"/>.
/// Leave (<see cref="IMemberPeer.LeaveAsync"/>): hosted files handed to the nearest group mate, group mates told.
/// </summary>
public interface IKelipsPeerGrain : IMemberPeer
{
    // --- membership -------------------------------------------------------------------
    /// <summary>Join through any live peer (section 2): learn its group view and contacts.</summary>
    Task<KelipsPeerState> JoinAsync(KelipsJoinRequest request);

    /// <summary>
    /// A converged build's state (its bootstrap is ignored): a new member starts with the view and
    /// contacts of <paramref name="state"/>; a member merges them, as it merges a join snapshot.
    /// The overlay grain adds the new members to the registry.
    /// </summary>
    Task InstallAsync(KelipsJoinRequest request, JoinSnapshot state);

    // --- the protocol's messages -------------------------------------------------------
    /// <summary>Bootstrap side of a join: learn the newcomer, answer what it needs.</summary>
    Task<JoinSnapshot> AcceptJoinAsync(MemberEntry newcomer);

    /// <summary>One gossip message (section 2.1).</summary>
    Task GossipAsync(GossipMessage message);

    /// <summary>A lookup reaching a member of the file's group: its filetuple, or null.</summary>
    Task<FileTuple?> QueryAsync(string fileName);

    /// <summary>A group mate's fallback query (section 2.2): my contacts in that group.</summary>
    Task<IReadOnlyList<NodeId>> ContactsForAsync(int group);

    /// <summary>The home node serves the file (null when it does not hold it).</summary>
    Task<string?> FetchAsync(string fileName);

    /// <summary>A leaving group mate hands its files over: this peer becomes their home node.</summary>
    Task AdoptFilesAsync(IReadOnlyList<HostedFile> files);

    /// <summary>A group mate leaves gracefully: drop it now rather than at its timeout.</summary>
    Task DepartedAsync(NodeId peer);

    /// <summary>
    /// A home node stores (or drops, Content null) backup copies of its files here (docs/durability.md,
    /// Replicas &gt; 1). Returns this peer's silo, from which the home learns where its copies are.
    /// </summary>
    Task<string> StoreBackupsAsync(IReadOnlyList<BackupCopy> copies);

    // --- driven by the client ----------------------------------------------------------
    Task<KelipsLookupResult> LookupAsync(string fileName);

    Task<KelipsInsertResult> InsertAsync(string fileName, string content);

    Task<KelipsInsertResult> DeleteAsync(string fileName);

    Task<KelipsPeerState> GetStateAsync();

    /// <summary>Names of the live files this peer is home node for (ground truth for `check`).</summary>
    Task<IReadOnlyList<string>> GetHostedFilesAsync();

    /// <summary>Measures this peer against the truth of its group (tests, `check`).</summary>
    Task<KelipsPeerCheck> CheckAsync(IReadOnlyList<NodeId> groupMembers, IReadOnlyList<string> groupFiles);
}
