namespace P2POrleans.Kelips;

/// <summary>
/// A fixed per-entry size model for Kelips state and gossip, so memory and bandwidth are countable
/// rather than measured (Kelips section 2: memory S(k, n) = n/k + c(k-1) + F/k entries).
/// <list type="bullet">
/// <item>Node entry (view member or contact), 40 B: id 20 + IPv4 address and port 6 + heartbeat 8
/// + RTT estimate 4 (float ms) + last-refresh age 2 (16-bit rounds).</item>
/// <item>Filetuple, 60 B: file name 24 (a fixed budget: the model assumes names fit, longer names
/// are still counted as 24) + home node id 20 + home address 6 + heartbeat 8 + 2 (tombstone bit
/// and 15-bit refresh age).</item>
/// <item>Message header, 40 B: sender id 20 + sender address 6 + round 8 + three entry counts 2 each.</item>
/// </list>
/// A gossip entry is counted at the same size as the stored entry (an upper bound: RTT and age do
/// not travel), so one model serves memory and bandwidth. With k = ceil(sqrt(n)), c = 2, n = 100,000
/// and F = 10 million these sizes give 1.93 MB per node, the figure of the course notes.
/// </summary>
public static class KelipsSizeModel
{
    public const int NodeEntryBytes = 40;
    public const int FileTupleBytes = 60;
    public const int MessageHeaderBytes = 40;

    /// <summary>Bytes of a gossip message with the given entry counts.</summary>
    public static int MessageBytes(int members, int contacts, int fileTuples) =>
        MessageHeaderBytes + ((members + contacts) * NodeEntryBytes) + (fileTuples * FileTupleBytes);

    public static int MessageBytes(GossipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return MessageBytes(message.Members.Length, message.Contacts.Length, message.FileTuples.Length);
    }

    /// <summary>Bytes of a peer's soft state: view entries, contacts and filetuples.</summary>
    public static long StateBytes(long viewEntries, long contacts, long fileTuples) =>
        ((viewEntries + contacts) * NodeEntryBytes) + (fileTuples * FileTupleBytes);

    /// <summary>
    /// The paper's analytic per-node memory: expected n/k view entries, c(k-1) contacts and F/k
    /// filetuples (uniform hashing), k = ceil(sqrt(n)) unless given, priced by this model.
    /// </summary>
    public static double AnalyticBytesPerPeer(long peers, long files, int contactsPerGroup = 2, int? groupCount = null)
    {
        if (peers < 1 || files < 0 || contactsPerGroup < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(peers), "peers must be at least 1, files and contacts not negative");
        }

        double k = groupCount ?? AffinityGroups.DefaultGroupCount(checked((int)peers));
        var view = peers / k;
        var contacts = contactsPerGroup * (k - 1);
        var tuples = files / k;
        return ((view + contacts) * NodeEntryBytes) + (tuples * FileTupleBytes);
    }
}
