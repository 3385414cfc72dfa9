namespace P2POrleans.Kelips.Lookups;

/// <summary>The lookup rule of Kelips section 2.2, as a pure function of a peer's state.</summary>
public static class LookupPlanner
{
    public static LookupPlan Plan(KelipsSoftState peer, string fileName)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(fileName);
        var group = peer.Groups.OfFile(fileName);
        if (group == peer.Group)
        {
            // Every member of the file's group holds its filetuple: answer with no message.
            FileTuple? answer = peer.FileTuples.TryGetLive(fileName, out var tuple) ? tuple : null;
            return new LookupPlan(fileName, group, true, answer, [], []);
        }

        var contacts = peer.Contacts.InGroup(group).Select(c => c.Id).ToArray();

        // "If that fails, ask a neighbour for one" (section 2.2): nearest group members first.
        var fallback = peer.View.OthersByRtt()
            .Take(peer.Options.MaxFallbackMembers)
            .Select(e => e.Id)
            .ToArray();
        return new LookupPlan(fileName, group, false, null, contacts, fallback);
    }
}
