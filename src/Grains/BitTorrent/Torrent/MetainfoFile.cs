namespace P2POrleans.BitTorrent.Torrent;

/// <summary>One file of a multi-file torrent (BEP 3 info.files entry): path segments and length.</summary>
public sealed record MetainfoFile(IReadOnlyList<string> Path, long Length)
{
    public override string ToString() => $"{string.Join('/', Path)} ({Length} bytes)";
}
