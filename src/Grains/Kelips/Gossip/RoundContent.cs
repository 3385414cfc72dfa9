using P2POrleans.Kelips.SoftState;

namespace P2POrleans.Kelips.Gossip;

/// <summary>
/// What a peer can gossip this round, sorted once and shared by the round's messages: entries in
/// key order for round-robin, and the "hot" ones (first seen recently) newest first.
/// </summary>
internal sealed class RoundContent
{
    public RoundContent(KelipsSoftState peer, long hotSince)
    {
        State = peer;
        peer.View.TryGet(peer.Self, out var self);
        Self = self;
        Members = [.. peer.View.Entries.Where(e => e.Id != peer.Self).OrderBy(e => e.Id)];
        HotMembers = [.. Members.Where(e => e.FirstSeenRound > hotSince).OrderByDescending(e => e.FirstSeenRound).ThenBy(e => e.Id)];
        Contacts = [.. peer.Contacts.All.OrderBy(c => c.Id)];
        HotContacts = [.. Contacts.Where(c => c.FirstSeenRound > hotSince).OrderByDescending(c => c.FirstSeenRound).ThenBy(c => c.Id)];
        Files = [.. peer.FileTuples.Entries.OrderBy(e => e.Tuple.FileName, StringComparer.Ordinal)];
        HotFiles = [.. Files.Where(e => e.ChangedRound > hotSince).OrderByDescending(e => e.ChangedRound)];
    }

    public KelipsSoftState State { get; }

    public ViewEntry Self { get; }

    public IReadOnlyList<ViewEntry> Members { get; }

    public IReadOnlyList<ViewEntry> HotMembers { get; }

    public IReadOnlyList<ContactEntry> Contacts { get; }

    public IReadOnlyList<ContactEntry> HotContacts { get; }

    public IReadOnlyList<FileTupleEntry> Files { get; }

    public IReadOnlyList<FileTupleEntry> HotFiles { get; }
}
