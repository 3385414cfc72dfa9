
namespace P2POrleans.Unstructured;

/// <summary>
/// The central Napster index: entries &lt;file, ip:port&gt; for every online peer, found through a
/// <see cref="TernarySearchTree{T}"/> over the words of the file names (lower-cased). A search
/// returns the entries whose names contain every query word, the last one also as a prefix
/// (<see cref="KeywordQuery"/>). A peer that logs in again replaces its list.
/// </summary>
public sealed class FileDirectory
{
    private readonly TernarySearchTree<HashSet<DirectoryEntry>> _index = new();
    private readonly SortedDictionary<PeerEndpoint, DirectoryEntry[]> _byPeer = [];

    public int PeerCount => _byPeer.Count;

    public int FileCount { get; private set; }

    /// <summary>Distinct words in the index.</summary>
    public int WordCount => _index.Count;

    /// <summary>Peers logged in, in address order (free riders included).</summary>
    public IReadOnlyList<PeerEndpoint> OnlinePeers => _byPeer.Keys.ToArray();

    public bool IsOnline(PeerEndpoint peer) => _byPeer.ContainsKey(peer);

    public IReadOnlyList<DirectoryEntry> FilesOf(PeerEndpoint peer) => _byPeer.TryGetValue(peer, out var entries) ? entries : [];

    /// <summary>Logs the peer in with its file list (replacing any earlier list); returns the number of entries.</summary>
    public int AddPeer(PeerEndpoint peer, IEnumerable<SharedFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        RemovePeer(peer);
        var entries = files.Select(f => new DirectoryEntry(f, peer)).Distinct().ToArray();
        _byPeer.Add(peer, entries);
        foreach (var entry in entries)
        {
            foreach (var word in WordsOf(entry))
            {
                if (!_index.TryGetValue(word, out var set))
                {
                    set = [];
                    _index.Insert(word, set);
                }

                set.Add(entry);
            }
        }

        FileCount += entries.Length;
        return entries.Length;
    }

    /// <summary>Logs the peer out and removes its files; returns how many entries went.</summary>
    public int RemovePeer(PeerEndpoint peer)
    {
        if (!_byPeer.Remove(peer, out var entries))
        {
            return 0;
        }

        foreach (var entry in entries)
        {
            foreach (var word in WordsOf(entry))
            {
                if (_index.TryGetValue(word, out var set) && set.Remove(entry) && set.Count == 0)
                {
                    _index.Remove(word);
                }
            }
        }

        FileCount -= entries.Length;
        return entries.Length;
    }

    /// <summary>Entries matching all keywords (the last as a prefix), ordered by file name, then peer, then index.</summary>
    public IReadOnlyList<DirectoryEntry> Search(string keywords, int maxResults = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxResults);
        var query = new KeywordQuery(keywords);
        if (query.IsEmpty)
        {
            return [];
        }

        var sets = new List<IReadOnlyCollection<DirectoryEntry>>();
        foreach (var word in query.Words.Take(query.Words.Count - 1).Distinct(StringComparer.Ordinal))
        {
            if (!_index.TryGetValue(word, out var set))
            {
                return [];
            }

            sets.Add(set);
        }

        var last = new HashSet<DirectoryEntry>();
        foreach (var (_, set) in _index.PrefixSearch(query.Words[^1]))
        {
            last.UnionWith(set);
        }

        sets.Add(last);
        sets.Sort((a, b) => a.Count.CompareTo(b.Count));
        IEnumerable<DirectoryEntry> result = sets[0];
        foreach (var other in sets.Skip(1))
        {
            var o = other as HashSet<DirectoryEntry> ?? other.ToHashSet();
            result = result.Where(o.Contains);
        }

        return result
            .OrderBy(e => e.FileName, StringComparer.Ordinal)
            .ThenBy(e => e.Peer)
            .ThenBy(e => e.File.Index)
            .Take(maxResults)
            .ToArray();
    }

    private static IEnumerable<string> WordsOf(DirectoryEntry entry) =>
        KeywordQuery.SplitWords(entry.FileName).Distinct(StringComparer.Ordinal);
}
