using P2POrleans.Common;

namespace P2POrleans.Kelips.Lookups;

/// <summary>
/// How to resolve a file name (Kelips section 2.2), decided from the peer's own state; the grain
/// executes it. A local plan carries the answer (null: not found). A remote plan lists the
/// contacts in the file's group to ask, lowest RTT first (one hop each), then the members of the
/// peer's own group to ask for their contacts in that group when every contact fails.
/// </summary>
public sealed record LookupPlan(
    string FileName,
    int FileGroup,
    bool IsLocal,
    FileTuple? LocalAnswer,
    IReadOnlyList<NodeId> Contacts,
    IReadOnlyList<NodeId> FallbackMembers)
{
    /// <summary>False when the peer knows nobody to ask: the lookup fails without a message.</summary>
    public bool CanRoute => IsLocal || Contacts.Count > 0 || FallbackMembers.Count > 0;
}
