using P2POrleans.Common;
using Spectre.Console;

namespace P2POrleans.Client.Commands;

/// <summary>
/// What the Chord and Pastry parts of `p2p demo` do alike to a distributed hash table: join the peers
/// one at a time, store the songs and read them back, and measure the hops of probe lookups.
/// </summary>
public static class KeyValueDemoSteps
{
    /// <summary>Keys each ring stores: song-00.mp3 to song-39.mp3.</summary>
    public const int Songs = 40;

    public static string Song(int i) => $"song-{i:D2}.mp3";

    /// <summary>One join call a peer, so that each peer joins through the real join protocol into the ring the earlier ones built.</summary>
    public static Task JoinOneByOneAsync(CliSession session, IStructuredOverlayGrain control, int peers, CancellationToken ct) =>
        session.Console.Status().StartAsync($"joining {peers} peers through the join protocol…", async _ =>
        {
            for (var i = 0; i < peers; i++)
            {
                ct.ThrowIfCancellationRequested();
                await control.JoinHostsAsync(1);
            }
        });

    public static async Task PutSongsAsync(IKeyValuePeer from)
    {
        for (var i = 0; i < Songs; i++)
        {
            await from.PutAsync(Song(i), $"peer-{i % 7}");
        }
    }

    /// <summary>How many of the songs a get from <paramref name="from"/> finds.</summary>
    public static async Task<int> ReadableSongsAsync(IKeyValuePeer from)
    {
        var found = 0;
        for (var i = 0; i < Songs; i++)
        {
            found += (await from.GetAsync(Song(i))).Value is not null ? 1 : 0;
        }

        return found;
    }

    /// <summary>Mean and longest path of 200 lookups of probe keys from one peer.</summary>
    public static async Task WriteMeanHopsAsync(CliSession session, IdSpace space, IKeyValuePeer from)
    {
        var hops = new List<int>();
        foreach (var key in Enumerable.Range(0, 200).Select(i => space.Hash("probe-" + i)))
        {
            hops.Add((await from.LookupAsync(key, null)).Hops);
        }

        session.Console.MarkupLine($"Mean hops over 200 lookups: [bold]{hops.Average():F2}[/] (max {hops.Max()}).");
    }
}
