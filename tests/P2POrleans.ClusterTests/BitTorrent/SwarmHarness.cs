using P2POrleans.BitTorrent;

namespace P2POrleans.ClusterTests.BitTorrent;

/// <summary>Creates swarms from real files and checks every member's bytes.</summary>
public static class SwarmHarness
{
    /// <summary>The small swarm the silo-kill tests run: 20 members, a 2 MiB file of 32 pieces.</summary>
    public static SwarmParameters KillTestSwarm { get; } = new()
    {
        Peers = 20,
        FileSize = 2 * 1024 * 1024,
        PieceLength = 64 * 1024,
        UploadRate = 128 * 1024,
        DownloadRate = 512 * 1024,
        SharedStorage = false,
    };

    /// <summary>Writes <paramref name="size"/> random bytes to a temporary file and returns its path and bytes.</summary>
    public static (string Path, byte[] Bytes) WriteFile(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"p2p-bt-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, bytes);
        return (path, bytes);
    }

    /// <summary>Stages the file's bytes (read back from disk) at the driver and creates the swarm.</summary>
    public static async Task<ISwarmGrain> ShareAsync(IClusterClient client, string name, string path, SwarmParameters parameters)
    {
        var bytes = await File.ReadAllBytesAsync(path);
        var swarm = client.GetGrain<ISwarmGrain>(name);
        const int chunk = 1 << 20;
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            await swarm.StageContentAsync(offset, bytes[offset..Math.Min(bytes.Length, offset + chunk)], bytes.Length);
        }

        await swarm.CreateAsync(parameters with { FromFile = true, FileSize = bytes.Length, FileName = System.IO.Path.GetFileName(path) });
        return swarm;
    }

    /// <summary>Steps until every leecher is done (or the tick limit).</summary>
    public static async Task<SwarmProgress> RunAsync(ISwarmGrain swarm, int maxTicks)
    {
        var progress = await swarm.GetProgressAsync();
        while (!progress.Done && progress.Tick < maxTicks)
        {
            progress = await swarm.StepAsync(5);
        }

        return progress;
    }

    /// <summary>A member's whole file, read piece by piece.</summary>
    public static async Task<byte[]> ReadAllAsync(IClusterClient client, string name, PeerId peer, int pieces)
    {
        var member = SwarmKeys.Member(client, name, peer);
        using var all = new MemoryStream();
        for (var piece = 0; piece < pieces; piece++)
        {
            var data = await member.ReadPieceAsync(piece);
            all.Write(data.Data.Span);
        }

        return all.ToArray();
    }
}
