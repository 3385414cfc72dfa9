namespace P2POrleans.BitTorrent.Storage;

/// <summary>
/// One <see cref="MemoryPieceStorage"/> per torrent per process, shared by every member that asks
/// for it (see <see cref="IPieceStorage"/>: only SHA-1-verified pieces are written, so they are the
/// same bytes everywhere). Reference counted: the last member to release it frees the memory.
/// </summary>
public static class SharedPieceStorage
{
    private static readonly Dictionary<string, (MemoryPieceStorage Storage, int Users)> Stores = new(StringComparer.Ordinal);

    public static MemoryPieceStorage Acquire(string key)
    {
        lock (Stores)
        {
            var entry = Stores.TryGetValue(key, out var e) ? e : (new MemoryPieceStorage(), 0);
            Stores[key] = (entry.Item1, entry.Item2 + 1);
            return entry.Item1;
        }
    }

    public static void Release(string key)
    {
        lock (Stores)
        {
            if (Stores.TryGetValue(key, out var e))
            {
                if (e.Users <= 1)
                {
                    Stores.Remove(key);
                }
                else
                {
                    Stores[key] = (e.Storage, e.Users - 1);
                }
            }
        }
    }
}
