namespace P2POrleans.Unstructured;

/// <summary>The files one peer shares (empty for a free rider), with local keyword matching.</summary>
public sealed class SharedLibrary
{
    private readonly SharedFile[] _files;

    public SharedLibrary(IEnumerable<SharedFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        _files = files.ToArray();
        if (_files.Select(f => f.Index).Distinct().Count() != _files.Length)
        {
            throw new ArgumentException("file indexes must be distinct within a library", nameof(files));
        }

        KilobytesShared = (uint)Math.Min(uint.MaxValue, _files.Sum(f => (long)f.Size) / 1024);
    }

    public static SharedLibrary Empty { get; } = new([]);

    public IReadOnlyList<SharedFile> Files => _files;

    public bool IsFreeRider => _files.Length == 0;

    public uint FileCount => (uint)_files.Length;

    public uint KilobytesShared { get; }

    public IReadOnlyList<SharedFile> Match(KeywordQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.IsEmpty ? [] : _files.Where(f => query.Matches(f.Name)).ToArray();
    }

    public SharedFile? Find(uint index) => Array.Find(_files, f => f.Index == index);

    /// <summary>This library with one more file, at the next free index (what `share` does).</summary>
    public (SharedLibrary Library, SharedFile File) With(string name, uint size)
    {
        ArgumentNullException.ThrowIfNull(name);
        var index = _files.Length == 0 ? 0 : _files.Max(f => f.Index) + 1;
        var file = new SharedFile(index, size, name);
        return (new SharedLibrary(_files.Append(file)), file);
    }
}
